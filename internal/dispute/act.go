package dispute

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/fault"
	"rma/internal/money"
	"rma/internal/promise"
	"rma/internal/refund"
)

// Input is what an action carries: a remedy and amount for an offer or a
// decision, a note for a refusal, an escalation or a decision.
type Input struct {
	Remedy Remedy
	Amount string
	Note   string
	// Reject: the rep decides against the buyer.
	Reject bool
}

// Outcome "rejected" of a rep's decision; the others are remedies.
const OutcomeRejected = "rejected"

var (
	errNoteRequired   = fault.Field("note", "note_required")
	errNotAReturn     = fault.New(fault.Conflict, "dispute_not_a_return")
	errOutcomeInvalid = fault.Field("outcome", "outcome_invalid")
)

// ParseOutcome reads a rep's decision: a remedy, or rejected.
func ParseOutcome(s string) (Input, error) {
	s = strings.TrimSpace(s)
	if s == OutcomeRejected {
		return Input{Reject: true}, nil
	}
	if r := Remedy(s); r.Valid() {
		return Input{Remedy: r}, nil
	}
	return Input{}, errOutcomeInvalid
}

// Act does action to a dispute as actor and returns the dispute as it
// became. Ownership is checked first (a foreign dispute is not found), then
// the lifecycle table, then the action's own input.
func (s *Service) Act(ctx context.Context, actor account.Actor, number string, action Action, in Input) (View, error) {
	v, err := s.Get(ctx, actor, number)
	if err != nil {
		return View{}, err
	}
	d := v.Dispute
	to, err := Next(action, d.Status, actor.Role)
	if err != nil {
		if errors.Is(err, ErrWrongState) {
			return View{}, ErrWrongState.With("Status", string(d.Status))
		}
		return View{}, err
	}
	now := s.now().UTC()
	ch := Change{Dispute: d, Promises: v.Promises}
	ch.Dispute.Status, ch.Dispute.UpdatedAt = to, now
	if err := s.apply(ctx, &ch, action, in, now); err != nil {
		return View{}, err
	}
	if action == ConfirmReturn && !settleReturn(&ch, actor, now) {
		return View{}, ErrWrongState.With("Status", string(d.Status))
	}
	ch.Events = append([]Event{newEvent(action, d.Status, to, actor, now, strings.TrimSpace(in.Note))}, ch.Events...)
	if err := s.settleRefund(&ch, now); err != nil {
		return View{}, err
	}
	ch.notices(now)
	if err := s.store.ApplyDispute(ctx, ch); err != nil {
		if errors.Is(err, fault.ErrStale) {
			return View{}, ErrWrongState.With("Status", string(d.Status))
		}
		return View{}, fmt.Errorf("%s dispute: %w", action, err)
	}
	ch.Dispute.Version++
	v.Dispute, v.Promises = ch.Dispute, ch.Promises
	v.Events = append(v.Events, ch.Events...)
	return v, nil
}

// apply fills in what action changes besides the status: remedies, the
// promises it makes or settles.
func (s *Service) apply(ctx context.Context, ch *Change, action Action, in Input, now time.Time) error {
	d := &ch.Dispute
	note := strings.TrimSpace(in.Note)
	switch action {
	case Accept:
		s.settle(ch, promise.SellerResponse, now)
	case Offer:
		amount, err := s.amount(ctx, d, in.Remedy, in.Amount)
		if err != nil {
			return err
		}
		d.OfferRemedy, d.OfferAmount = in.Remedy, amount
		s.settle(ch, promise.SellerResponse, now)
	case Refuse:
		if note == "" {
			return errNoteRequired
		}
		s.settle(ch, promise.SellerResponse, now)
	case AcceptOffer:
		d.Remedy, d.Amount = d.OfferRemedy, d.OfferAmount
	case Decline:
		d.OfferRemedy, d.OfferAmount = "", money.Money{Currency: d.Amount.Currency}
		ch.Promises = append(ch.Promises, s.sellerPromise(d, now))
	case Escalate, AutoEscalate:
		if action == AutoEscalate {
			i := promise.Find(ch.Promises, promise.SellerResponse)
			if i < 0 || !ch.Promises[i].NoticeBreach(now) {
				return ErrWrongState.With("Status", string(d.Status))
			}
		}
		due := s.calendar.AddWorkdays(d.Country, BuyerLocation(d.Country), now, s.settings.DecisionDays)
		d.DecisionDueAt = &due
		ch.Promises = append(ch.Promises, promise.Make(ulid.Make().String(), promise.DisputeDecision, now, due))
	case DecideRefund, DecideReject:
		if action == DecideRefund {
			amount, err := s.amount(ctx, d, in.Remedy, in.Amount)
			if err != nil {
				return err
			}
			d.Remedy, d.Amount = in.Remedy, amount
		}
		s.settle(ch, promise.DisputeDecision, now)
	case SendBack:
		if d.Remedy != ReturnAndRefund {
			return errNotAReturn
		}
	case Withdraw:
		for i := range ch.Promises {
			ch.Promises[i].Void(now)
		}
	}
	return nil
}

// settle ends the newest promise of kind as done now.
func (s *Service) settle(ch *Change, kind promise.Kind, now time.Time) {
	if i := promise.Find(ch.Promises, kind); i >= 0 {
		ch.Promises[i].Settle(now)
	}
}

// amount is the exact refund of a remedy offered or decided on d's order.
func (s *Service) amount(ctx context.Context, d *Dispute, remedy Remedy, amount string) (money.Money, error) {
	if !remedy.Valid() {
		return money.Money{}, fault.Field("remedy", "remedy_invalid")
	}
	o, err := s.store.Order(ctx, d.OrderNumber)
	if err != nil {
		return money.Money{}, fmt.Errorf("read order: %w", err)
	}
	return RemedyAmount(remedy, amount, o.Price)
}

// settleRefund follows an agreement on a refund remedy, and a confirmed
// return, with the refund itself: a refund row in the same transaction and
// the dispute refunded. An agreed return waits for the item.
func (s *Service) settleRefund(ch *Change, now time.Time) error {
	d := &ch.Dispute
	switch {
	case d.Status == Agreed && d.Remedy != ReturnAndRefund:
		to, err := Next(Refund, d.Status, System)
		if err != nil {
			return err
		}
		ch.Events = append(ch.Events, Event{ID: ulid.Make().String(), At: now, Action: Refund, From: d.Status, To: to,
			ActorID: string(System), ActorRole: System, Note: d.Amount.String()})
		d.Status = to
	case d.Status == Refunded:
	default:
		return nil
	}
	ch.Refund = &refund.Refund{ID: ulid.Make().String(), OrderNumber: d.OrderNumber, DisputeID: d.ID, Amount: d.Amount,
		Reason: string(d.Reason), Source: refund.FromDispute, Key: refund.DisputeKey(d.ID), Status: refund.Pending,
		CreatedAt: now}
	return nil
}

// EscalateUnanswered escalates every open dispute whose seller did not
// answer in time, as the system, and returns how many it escalated. Two
// workers running it at once escalate each dispute once: the loser's
// transition finds the dispute changed and is skipped.
func (s *Service) EscalateUnanswered(ctx context.Context) (int, error) {
	numbers, err := s.store.UnansweredDisputes(ctx, s.now().UTC(), 100)
	if err != nil {
		return 0, fmt.Errorf("find unanswered disputes: %w", err)
	}
	return s.actAsSystem(ctx, numbers, AutoEscalate, "seller_response_broken")
}

// actAsSystem fires action, as the system, on each dispute of numbers and
// returns how many it moved. A dispute another actor or worker moved
// meanwhile (ErrWrongState) is skipped, so two workers sweeping at once
// move each dispute once; any other error stops the pass.
func (s *Service) actAsSystem(ctx context.Context, numbers []string, action Action, note string) (int, error) {
	sys := account.Actor{UserID: string(System), Role: System}
	n := 0
	for _, num := range numbers {
		_, err := s.Act(ctx, sys, num, action, Input{Note: note})
		switch {
		case err == nil:
			n++
		case errors.Is(err, ErrWrongState):
		default:
			return n, err
		}
	}
	return n, nil
}
