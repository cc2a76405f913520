package refund

import (
	"context"
	"fmt"
	"strings"
	"time"

	"rma/internal/account"
)

// Filter selects refunds: one order's, one buyer's, or every one.
type Filter struct {
	OrderNumber string
	BuyerEmail  string
	Limit       int
}

// Store is what the refund service needs from storage.
type Store interface {
	Refunds(ctx context.Context, f Filter) ([]Refund, error)
	// UntoldCompensations returns late-delivery compensations whose buyer
	// was not told yet, oldest first.
	UntoldCompensations(ctx context.Context, limit int) ([]Notice, error)
	MarkRefundTold(ctx context.Context, id string, at time.Time) error
}

// Service reads the refunds ledger.
type Service struct{ store Store }

// NewService returns a refund service.
func NewService(store Store) *Service { return &Service{store: store} }

// List returns the refunds the actor may see: admins every one, a buyer
// those of their own orders (a foreign order's list is empty, as if it had
// none).
func (s *Service) List(ctx context.Context, actor account.Actor, orderNumber string, limit int) ([]Refund, error) {
	f := Filter{OrderNumber: strings.TrimSpace(orderNumber), Limit: max(1, min(limit, 200))}
	switch actor.Role {
	case account.Admin:
	case account.Buyer:
		f.BuyerEmail = actor.Email
	default:
		return nil, nil
	}
	rs, err := s.store.Refunds(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list refunds: %w", err)
	}
	return rs, nil
}
