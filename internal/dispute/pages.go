package dispute

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"rma/internal/account"
	"rma/internal/order"
	"rma/internal/promise"
	"rma/internal/refund"
)

// OrderOf returns the order of a dispute already read for the actor (the
// product and price its page shows beside it).
func (s *Service) OrderOf(ctx context.Context, v View) (order.Order, error) {
	o, err := s.store.Order(ctx, v.Dispute.OrderNumber)
	if err != nil {
		return order.Order{}, fmt.Errorf("dispute order: %w", err)
	}
	return o, nil
}

// SellerFigures are a seller's compliance figures from the promise ledger:
// how their promises to answer in time stand, and how the platform's
// decisions on their escalated disputes stand.
type SellerFigures struct {
	Response, Decision promise.Tally
	// Escalated counts the seller's disputes that went to the platform.
	Escalated int
}

// Figures returns the seller's own figures; any other role has none.
func (s *Service) Figures(ctx context.Context, actor account.Actor) (SellerFigures, error) {
	if actor.Role != account.Seller || actor.SellerCode == "" {
		return SellerFigures{}, ErrForbidden
	}
	ts, err := s.store.SellerPromiseTally(ctx, actor.SellerCode, s.now().UTC())
	if err != nil {
		return SellerFigures{}, fmt.Errorf("seller figures: %w", err)
	}
	var f SellerFigures
	for _, t := range ts {
		switch t.Kind {
		case promise.SellerResponse:
			f.Response = t
		case promise.DisputeDecision:
			f.Decision = t
			f.Escalated = t.Kept + t.Broken + t.Void + t.Open
		}
	}
	return f, nil
}

// Escalated returns the disputes waiting for a rep's decision, the soonest
// decision deadline first: the disputes' part of the reps' queue.
func (s *Service) Escalated(ctx context.Context, actor account.Actor) ([]Dispute, error) {
	if actor.Role != account.Rep && actor.Role != account.Admin {
		return nil, ErrForbidden
	}
	ds, err := s.List(ctx, actor, Filter{Status: []Status{Escalated}, Limit: 200})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(ds, func(a, b Dispute) int {
		switch {
		case a.DecisionDueAt == nil && b.DecisionDueAt == nil:
			return 0
		case a.DecisionDueAt == nil:
			return 1
		case b.DecisionDueAt == nil:
			return -1
		}
		return cmp.Compare(a.DecisionDueAt.UnixNano(), b.DecisionDueAt.UnixNano())
	})
	return ds, nil
}

// RefundsOf returns the refunds a dispute already read for the actor has
// settled with: the rows of the refunds ledger its page shows.
func (s *Service) RefundsOf(ctx context.Context, v View) ([]refund.Refund, error) {
	rs, err := s.store.Refunds(ctx, refund.Filter{OrderNumber: v.Dispute.OrderNumber, Limit: 50})
	if err != nil {
		return nil, fmt.Errorf("dispute refunds: %w", err)
	}
	return slices.DeleteFunc(rs, func(r refund.Refund) bool { return r.DisputeID != v.Dispute.ID }), nil
}
