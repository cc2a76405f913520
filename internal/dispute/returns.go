package dispute

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/fault"
	"rma/internal/promise"
)

// Why a carrier's delivery report is refused.
var (
	errDeliveredFuture  = fault.Field("delivered_at", "delivered_in_future")
	errDeliveredInvalid = fault.Field("delivered_at", "date_invalid")
)

// ReturnDelivered is the dispute event written when the carrier reports
// the returned item delivered to the seller: the status stays returning,
// and the seller's promise to confirm it starts.
const ReturnDelivered Action = "return_delivered"

// settleReturn ends the seller's return confirmation, if the carrier's
// delivery started one: kept when the seller confirms, broken when the
// system assumes the item received. The system confirms only once that
// promise is overdue; it reports false otherwise (someone got there
// first, or the time has not come).
func settleReturn(ch *Change, actor account.Actor, now time.Time) bool {
	i := promise.Find(ch.Promises, promise.ReturnConfirmation)
	if actor.Role == System {
		return i >= 0 && ch.Promises[i].NoticeBreach(now)
	}
	if i >= 0 {
		ch.Promises[i].Settle(now)
	}
	return true
}

// RecordReturnDelivery records, for an admin (the carrier's report comes
// through operations), that the returned item was delivered to the seller
// at: the seller then has the settable number of days to confirm it, or is
// assumed to have received it and the refund follows. Reporting the same
// delivery again changes nothing.
func (s *Service) RecordReturnDelivery(ctx context.Context, actor account.Actor, number string, at time.Time) (View, error) {
	if actor.Role != account.Admin && actor.Role != System {
		return View{}, ErrForbidden
	}
	v, err := s.Get(ctx, actor, number)
	if err != nil {
		return View{}, err
	}
	d := v.Dispute
	now := s.now().UTC()
	switch {
	case d.Status != Returning:
		return View{}, ErrWrongState.With("Status", string(d.Status))
	case at.IsZero():
		at = now
	case at.After(now):
		return View{}, errDeliveredFuture
	}
	if promise.Find(v.Promises, promise.ReturnConfirmation) >= 0 {
		return v, nil
	}
	at = at.UTC()
	ch := Change{Dispute: d, Promises: append(v.Promises, promise.Make(ulid.Make().String(), promise.ReturnConfirmation,
		at, at.AddDate(0, 0, s.settings.ReturnConfirmDays)))}
	ch.Dispute.UpdatedAt = now
	ch.Events = []Event{newEvent(ReturnDelivered, d.Status, d.Status, actor, now, at.Format(time.RFC3339))}
	ch.notices(now)
	if err := s.store.ApplyDispute(ctx, ch); err != nil {
		return View{}, fmt.Errorf("record return delivery: %w", err)
	}
	ch.Dispute.Version++
	v.Dispute, v.Promises = ch.Dispute, ch.Promises
	v.Events = append(v.Events, ch.Events...)
	return v, nil
}

// ConfirmOverdueReturns confirms, as the system, every return the seller
// left unconfirmed past their days after the carrier's delivery: the
// seller is assumed to have the item, and the refund follows. Two workers
// running it at once confirm each return once.
func (s *Service) ConfirmOverdueReturns(ctx context.Context) (int, error) {
	numbers, err := s.store.OverdueReturns(ctx, s.now().UTC(), 100)
	if err != nil {
		return 0, fmt.Errorf("find overdue returns: %w", err)
	}
	return s.actAsSystem(ctx, numbers, ConfirmReturn, "assumed_received")
}

// ParseDeliveredAt reads an optional RFC 3339 delivery time.
func ParseDeliveredAt(s string) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errDeliveredInvalid
	}
	return t, nil
}
