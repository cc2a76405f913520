package sim

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"rma/internal/dispute"
	"rma/internal/mail"
	"rma/internal/money"
	"rma/internal/promise"
	"rma/internal/refund"
)

// nextBasicDue is the earliest instant at which the sweep has Basic
// protection's work to do: just after the first open dispute promise's due
// time (the sweep acts on promises due before its now), the first
// undelivered order's grace end, or now when a compensation waits to be
// told, leaving out what is more than NoticeBound late.
func (r *run) nextBasicDue(ctx context.Context) (time.Time, bool, error) {
	db := r.app.Store.DB().WithContext(ctx)
	// What is more than NoticeBound late is already a failed check: the
	// sweep is not woken for it again, or a pass that never acts would
	// have the month sweep every period to its end.
	since := r.clock.Now().Add(-NoticeBound).UTC()
	var due []sql.NullTime
	if err := db.Raw(`SELECT due_at FROM promises WHERE dispute_id IS NOT NULL AND state = ? AND due_at > ?
		ORDER BY due_at LIMIT 1`, string(promise.Open), since).
		Scan(&due).Error; err != nil {
		return time.Time{}, false, err
	}
	var promised []sql.NullTime
	if err := db.Raw(`SELECT promised_delivery_at FROM orders o WHERE delivered_at IS NULL
		AND promised_delivery_at > ? AND price_minor IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.order_number = o.number AND f.source = ?)
		ORDER BY promised_delivery_at LIMIT 1`,
		since.Add(-r.grace()), string(refund.FromLateDelivery)).Scan(&promised).Error; err != nil {
		return time.Time{}, false, err
	}
	var untold []int64
	if err := db.Raw(`SELECT COUNT(*) FROM refunds WHERE source = ? AND told_at IS NULL AND created_at > ?`,
		string(refund.FromLateDelivery), since).
		Scan(&untold).Error; err != nil {
		return time.Time{}, false, err
	}
	var next time.Time
	ok := false
	consider := func(t time.Time) {
		if !ok || t.Before(next) {
			next, ok = t, true
		}
	}
	if len(due) == 1 && due[0].Valid {
		consider(due[0].Time.UTC().Add(time.Nanosecond))
	}
	if len(promised) == 1 && promised[0].Valid {
		consider(promised[0].Time.UTC().Add(r.grace() + time.Nanosecond))
	}
	if len(untold) == 1 && untold[0] > 0 {
		consider(r.clock.Now())
	}
	return next, ok, nil
}

// grace is how long after its promised date an undelivered order is late.
func (r *run) grace() time.Duration {
	return time.Duration(r.app.Config.LateDeliveryGraceDays) * 24 * time.Hour
}

// within reports whether at falls in [due, due+NoticeBound].
func within(at, due time.Time) bool { return !at.Before(due) && at.Sub(due) <= NoticeBound }

// staffEscalations names, per dispute promise kind, the letters its breach
// sends: to admins and reps, and the apology to the buyer.
var staffEscalations = map[promise.Kind][]string{promise.DisputeDecision: {"dispute_decision_late", "apology_dispute_decision"}}

// checkDisputes reads every simulated dispute and order from the ledger:
// each broken promise noticed and acted on within NoticeBound (the sweep
// escalates an unanswered dispute, tells staff and the buyer of a late
// decision, confirms and refunds an unconfirmed return), nothing done for a
// promise that was kept, every agreed refund owed once at the agreed
// amount, and every late order compensated once and told.
func (r *run) checkDisputes(ctx context.Context, mails map[string][]mail.Record, end time.Time) error {
	admin := r.users["admin"].Actor()
	for _, s := range r.disputes {
		refunds, err := r.app.Store.Refunds(ctx, refund.Filter{OrderNumber: s.order, Limit: 10})
		if err != nil {
			return err
		}
		for _, f := range refunds {
			r.rep.Refunds[string(f.Source)]++
			t := r.rep.RefundTotal[string(f.Source)]
			r.rep.RefundTotal[string(f.Source)] = money.Money{Minor: t.Minor + f.Amount.Minor, Currency: f.Amount.Currency}
		}
		if err := r.checkCompensation(ctx, s, refunds, mails[s.order], end); err != nil {
			return err
		}
		if s.number == "" {
			continue
		}
		v, err := r.app.Disputes.Get(ctx, admin, s.number)
		if err != nil {
			return err
		}
		r.checkDisputePromises(s, v, mails[s.number], end)
		r.checkDisputeRefund(s, v, refunds)
	}
	return nil
}

func (r *run) missed(format string, args ...any) {
	r.rep.Missed = append(r.rep.Missed, fmt.Sprintf(format, args...))
}
func (r *run) falsely(format string, args ...any) {
	r.rep.False = append(r.rep.False, fmt.Sprintf(format, args...))
}

// systemEvents returns the dispute's events of action taken by the system.
func systemEvents(v dispute.View, action dispute.Action) []dispute.Event {
	var out []dispute.Event
	for _, e := range v.Events {
		if e.Action == action && e.ActorRole == dispute.System {
			out = append(out, e)
		}
	}
	return out
}

func (r *run) checkDisputePromises(s *disputeStory, v dispute.View, mails []mail.Record, end time.Time) {
	acts := map[promise.Kind]dispute.Action{promise.SellerResponse: dispute.AutoEscalate, promise.ReturnConfirmation: dispute.ConfirmReturn}
	broken := map[promise.Kind][]promise.Promise{}
	for _, p := range v.Promises {
		switch {
		case p.State == promise.Broken:
			if p.BrokenAt == nil || !within(*p.BrokenAt, p.DueAt) {
				r.missed("%s %s due %s noticed %v", s.number, p.Kind, p.DueAt.Format(time.RFC3339), p.BrokenAt)
				continue
			}
			r.rep.MaxNotice = max(r.rep.MaxNotice, p.BrokenAt.Sub(p.DueAt))
			broken[p.Kind] = append(broken[p.Kind], p)
		case p.Overdue(end) && end.Sub(p.DueAt) > NoticeBound:
			r.missed("%s %s due %s still open at the end", s.number, p.Kind, p.DueAt.Format(time.RFC3339))
		}
	}
	// The system's own steps: each answers one broken promise, within the
	// bound; a broken promise without its step was not acted on.
	for kind, action := range acts {
		events := systemEvents(v, action)
		for _, p := range broken[kind] {
			found := false
			for _, e := range events {
				found = found || within(e.At, p.DueAt)
			}
			if !found {
				r.missed("%s %s due %s: no %s by the system within %s", s.number, kind, p.DueAt.Format(time.RFC3339), action, NoticeBound)
			}
		}
		for _, e := range events {
			found := false
			for _, p := range broken[kind] {
				found = found || within(e.At, p.DueAt)
			}
			if !found {
				r.falsely("%s %s by the system at %s without a broken %s", s.number, action, e.At.Format(time.RFC3339), kind)
			}
		}
	}
	// The letters of a late decision: to every admin and rep and to the
	// buyer, each within the bound of the broken promise, and none for a
	// decision made in time.
	for kind, letters := range staffEscalations {
		for _, letter := range letters {
			for _, p := range broken[kind] {
				found := false
				for _, m := range mails {
					found = found || m.Kind == letter && within(m.CreatedAt, p.DueAt)
				}
				if !found {
					r.missed("%s %s due %s: no %s within %s", s.number, kind, p.DueAt.Format(time.RFC3339), letter, NoticeBound)
				}
			}
			for _, m := range mails {
				if m.Kind != letter {
					continue
				}
				found := false
				for _, p := range broken[kind] {
					found = found || within(m.CreatedAt, p.DueAt)
				}
				if !found {
					r.falsely("%s %s to %s at %s without a broken %s", s.number, letter, m.To, m.CreatedAt.Format(time.RFC3339), kind)
				}
			}
		}
	}
}

// checkDisputeRefund: a refunded dispute is owed exactly its agreed amount,
// once; any other dispute is owed nothing.
func (r *run) checkDisputeRefund(s *disputeStory, v dispute.View, refunds []refund.Refund) {
	d := v.Dispute
	var owed []refund.Refund
	for _, f := range refunds {
		if f.Key == refund.DisputeKey(d.ID) {
			owed = append(owed, f)
		}
	}
	switch {
	case d.Status == dispute.Refunded && len(owed) != 1:
		r.missed("%s refunded with %d refunds in the ledger", s.number, len(owed))
	case d.Status == dispute.Refunded && owed[0].Amount != d.Amount:
		r.falsely("%s refunds %s, agreed %s", s.number, owed[0].Amount, d.Amount)
	case d.Status != dispute.Refunded && len(owed) > 0:
		r.falsely("%s is %s with a refund of %s", s.number, d.Status, owed[0].Amount)
	}
}

// checkCompensation: an order delivered after its promised date, or still
// undelivered a grace after it, is compensated once (within NoticeBound of
// the grace's end when the sweep owes it) and its buyer told once; an order
// on time is owed nothing.
func (r *run) checkCompensation(ctx context.Context, s *disputeStory, refunds []refund.Refund, mails []mail.Record, end time.Time) error {
	o, err := r.app.Store.Order(ctx, s.order)
	if err != nil {
		return err
	}
	var paid []refund.Refund
	for _, f := range refunds {
		if f.Key == refund.LateDeliveryKey(s.order) {
			paid = append(paid, f)
		}
	}
	graceEnd := s.promised.Add(r.grace())
	late := o.DeliveredAt != nil && o.DeliveredAt.After(s.promised) ||
		o.DeliveredAt == nil && end.Sub(graceEnd) > NoticeBound
	switch {
	case !late && len(paid) > 0 && (o.DeliveredAt != nil || paid[0].CreatedAt.Before(graceEnd)):
		r.falsely("order %s delivered on time (%v, promised %s) compensated %s", s.order, o.DeliveredAt,
			s.promised.Format(time.RFC3339), paid[0].Amount)
	case !late:
	case len(paid) != 1:
		r.missed("order %s late: %d compensations", s.order, len(paid))
	case o.DeliveredAt == nil && !within(paid[0].CreatedAt, graceEnd):
		r.missed("order %s undelivered: compensated at %s, grace ended %s", s.order,
			paid[0].CreatedAt.Format(time.RFC3339), graceEnd.Format(time.RFC3339))
	default:
		told := false
		for _, m := range mails {
			told = told || m.Kind == "late_compensation" && m.To == r.users[s.buyer].Email && within(m.CreatedAt, paid[0].CreatedAt)
		}
		if !told && end.Sub(paid[0].CreatedAt) > NoticeBound {
			r.missed("order %s compensated at %s: buyer not told within %s", s.order, paid[0].CreatedAt.Format(time.RFC3339), NoticeBound)
		}
	}
	return nil
}
