package order

import (
	"context"
	"fmt"
	"time"

	"rma/internal/fault"
)

// Store is what the order service needs from storage.
type Store interface {
	PutOrder(ctx context.Context, o Order, now time.Time) (created bool, err error)
	// PutOrders creates or replaces every order in one transaction.
	PutOrders(ctx context.Context, orders []Order, now time.Time) error
	SellerExists(ctx context.Context, code string) (bool, error)
}

// Service imports orders from the marketplace.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns an order service.
func NewService(store Store, now func() time.Time) *Service { return &Service{store: store, now: now} }

// Put validates and creates or replaces an order.
func (s *Service) Put(ctx context.Context, o Order) (Order, bool, error) {
	o, err := s.validate(ctx, o)
	if err != nil {
		return Order{}, false, err
	}
	created, err := s.store.PutOrder(ctx, o, s.now())
	if err != nil {
		return Order{}, false, fmt.Errorf("put order: %w", err)
	}
	return o, created, nil
}

// Import validates every order and creates or replaces them all in one
// transaction: all or none. The first invalid order refuses the batch.
func (s *Service) Import(ctx context.Context, orders []Order) error {
	valid := make([]Order, len(orders))
	for i, o := range orders {
		v, err := s.validate(ctx, o)
		if err != nil {
			return err
		}
		valid[i] = v
	}
	if err := s.store.PutOrders(ctx, valid, s.now()); err != nil {
		return fmt.Errorf("import orders: %w", err)
	}
	return nil
}

// validate checks an order and that its seller is known: an order names a
// seller registered before it.
func (s *Service) validate(ctx context.Context, o Order) (Order, error) {
	o, err := Validate(o)
	if err != nil || o.SellerCode == "" {
		return o, err
	}
	ok, err := s.store.SellerExists(ctx, o.SellerCode)
	if err != nil {
		return Order{}, fmt.Errorf("check seller: %w", err)
	}
	if !ok {
		return Order{}, fault.Field("seller", "seller_unknown")
	}
	return o, nil
}
