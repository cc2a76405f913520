package claim

import (
	"context"
	"errors"
	"fmt"
	"time"

	"rma/internal/account"
	"rma/internal/fault"
	"rma/internal/order"
)

// ReviewPanel is what a rep reads beside a claim before deciding: the
// order, when the claim's coverage ends, and the device's other claims.
type ReviewPanel struct {
	Order    *order.Order
	TermEnds *time.Time
	Earlier  []Claim
	// Repeat: the device had another claim within 12 months.
	Repeat bool
}

// Panel returns the panel staff read beside a claim that actor, a rep, an
// admin or the center's technician, has read with Get.
func (s *Service) Panel(ctx context.Context, actor account.Actor, v View) (ReviewPanel, error) {
	if actor.Role != account.Rep && actor.Role != account.Admin && actor.Role != account.Technician {
		return ReviewPanel{}, ErrForbidden
	}
	var p ReviewPanel
	o, err := s.store.Order(ctx, v.Claim.OrderNumber)
	switch {
	case err == nil:
		p.Order = &o
		if o.CompletedAt != nil {
			if ends, ok := s.CoverageEnds(v.Claim.Coverage, *o.CompletedAt); ok {
				p.TermEnds = &ends
			}
		}
	case !errors.Is(err, fault.ErrNoRecord):
		return ReviewPanel{}, fmt.Errorf("review panel: %w", err)
	}
	if v.Claim.DeviceID() == "" {
		return p, nil
	}
	earlier, err := s.List(ctx, actor, Filter{Device: v.Claim.DeviceID(), Limit: 50})
	if err != nil {
		return ReviewPanel{}, fmt.Errorf("review panel: %w", err)
	}
	for _, e := range earlier {
		if e.ID != v.Claim.ID {
			p.Earlier = append(p.Earlier, e)
			if gap := v.Claim.CreatedAt.Sub(e.CreatedAt).Abs(); gap < 365*24*time.Hour {
				p.Repeat = true
			}
		}
	}
	return p, nil
}
