package order

import (
	"context"
	"fmt"
	"time"
)

// Store is what the order service needs from storage.
type Store interface {
	PutOrder(ctx context.Context, o Order, now time.Time) (created bool, err error)
	// PutOrders creates or replaces every order in one transaction.
	PutOrders(ctx context.Context, orders []Order, now time.Time) error
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
	o, err := Validate(o)
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
		v, err := Validate(o)
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
