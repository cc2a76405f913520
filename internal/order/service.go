package order

import (
	"context"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/fault"
	"rma/internal/refund"
)

// Write is an order to create or replace with the refund it owes (the
// on-time delivery guarantee), written in the same transaction; a refund
// whose key the ledger already holds is skipped, so it is owed once.
type Write struct {
	Order Order
	Owed  *refund.Refund
}

// Store is what the order service needs from storage.
type Store interface {
	PutOrderOwing(ctx context.Context, w Write, now time.Time) (created bool, err error)
	// PutOrders creates or replaces every order in one transaction.
	PutOrders(ctx context.Context, orders []Write, now time.Time) error
	SellerExists(ctx context.Context, code string) (bool, error)
	// UndeliveredLate returns priced orders promised before before, not
	// delivered, owing no late-delivery refund yet.
	UndeliveredLate(ctx context.Context, before time.Time, limit int) ([]Order, error)
	// OweRefund writes a refund unless one with its key exists.
	OweRefund(ctx context.Context, r refund.Refund) (bool, error)
}

// Service imports orders from the marketplace.
type Service struct {
	store Store
	late  refund.LatePolicy
	now   func() time.Time
}

// NewService returns an order service; late is the on-time delivery
// guarantee's policy.
func NewService(store Store, late refund.LatePolicy, now func() time.Time) *Service {
	return &Service{store: store, late: late, now: now}
}

// owing pairs an order with the compensation a late delivery earns.
func (s *Service) owing(o Order, now time.Time) Write {
	return Write{Order: o, Owed: s.late.ForLateDelivery(ulid.Make().String(), o.Number, o.Price, o.PromisedDeliveryAt,
		o.DeliveredAt, now)}
}

// Put validates and creates or replaces an order.
func (s *Service) Put(ctx context.Context, o Order) (Order, bool, error) {
	o, err := s.validate(ctx, o)
	if err != nil {
		return Order{}, false, err
	}
	now := s.now()
	created, err := s.store.PutOrderOwing(ctx, s.owing(o, now), now)
	if err != nil {
		return Order{}, false, fmt.Errorf("put order: %w", err)
	}
	return o, created, nil
}

// Import validates every order and creates or replaces them all in one
// transaction: all or none. The first invalid order refuses the batch.
func (s *Service) Import(ctx context.Context, orders []Order) error {
	now := s.now()
	valid := make([]Write, len(orders))
	for i, o := range orders {
		v, err := s.validate(ctx, o)
		if err != nil {
			return err
		}
		valid[i] = s.owing(v, now)
	}
	if err := s.store.PutOrders(ctx, valid, now); err != nil {
		return fmt.Errorf("import orders: %w", err)
	}
	return nil
}

// Check validates an order as Import does, its seller included, without
// writing anything: the import reports every refused line at once.
func (s *Service) Check(ctx context.Context, o Order) error {
	_, err := s.validate(ctx, o)
	return err
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

// CompensateUndelivered owes the on-time delivery compensation to every
// order still undelivered a grace after its promised date, once each (the
// ledger's key), and returns how many it wrote. The sweep runs it.
func (s *Service) CompensateUndelivered(ctx context.Context) (int, error) {
	now := s.now()
	orders, err := s.store.UndeliveredLate(ctx, now.Add(-s.late.Grace), 100)
	if err != nil {
		return 0, fmt.Errorf("find undelivered orders: %w", err)
	}
	n := 0
	for _, o := range orders {
		w := s.owing(o, now)
		if w.Owed == nil {
			continue
		}
		wrote, err := s.store.OweRefund(ctx, *w.Owed)
		if err != nil {
			return n, fmt.Errorf("compensate %s: %w", o.Number, err)
		}
		if wrote {
			n++
		}
	}
	return n, nil
}
