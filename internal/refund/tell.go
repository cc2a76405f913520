package refund

import (
	"context"
	"fmt"
	"time"
)

// Notice is a late-delivery compensation its buyer has not been told of
// yet, with what the letter needs.
type Notice struct {
	Refund     Refund
	BuyerEmail string
	BuyerName  string
	// Language is the buyer's account's, "" when they have none.
	Language string
	Product  string
	// Country is the order's.
	Country string
}

// Untold returns the late-delivery compensations whose buyer has not been
// told yet, oldest first: the sweep writes to each buyer in their language.
func (s *Service) Untold(ctx context.Context) ([]Notice, error) {
	ns, err := s.store.UntoldCompensations(ctx, 100)
	if err != nil {
		return nil, fmt.Errorf("untold compensations: %w", err)
	}
	return ns, nil
}

// MarkTold records that the buyer was told of the compensation at at.
func (s *Service) MarkTold(ctx context.Context, id string, at time.Time) error {
	if err := s.store.MarkRefundTold(ctx, id, at); err != nil {
		return fmt.Errorf("mark compensation told: %w", err)
	}
	return nil
}
