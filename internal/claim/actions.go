package claim

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/fault"
	"rma/internal/imei"
	"rma/internal/promise"
)

// RejectReasons are the codes a rep may reject a claim with.
var RejectReasons = []string{"not_covered", "outside_term", "user_damage", "no_fault_described",
	"insufficient_information", "suspected_fraud", "duplicate", "other"}

// Reasons to return a device unrepaired. Under cover a device that cannot be
// repaired economically is replaced, so these are the only two: nothing is
// wrong with it, or what is wrong is not covered. A "no fault found" return
// does not use up a claim of the coverage's limit.
const (
	UnrepairedNoFault    = "no_fault_found"
	UnrepairedNotCovered = "not_covered"
)

// UnrepairedReasons are the codes for returning a device unrepaired.
var UnrepairedReasons = []string{UnrepairedNoFault, UnrepairedNotCovered}

// Decisions a technician takes after diagnosis.
const (
	DecisionRepair           = "repair"
	DecisionReplace          = "replace"
	DecisionReturnUnrepaired = "return_unrepaired"
)

// maxNote bounds free-text notes, in characters.
const maxNote = 4000

// change is what an action does to a claim beyond its status; it may refuse
// with a validation error, which leaves the claim untouched.
type change func(c *Claim, now time.Time) error

// act applies one transition: it checks the role, loads the claim (not found
// when the actor may not see it), checks the state, applies the change and
// writes claim and event in one transaction guarded by the claim's version.
// Losing a race re-reads the claim, so the loser gets the answer the new
// state gives (usually a conflict), never a second transition.
func (s *Service) act(ctx context.Context, actor account.Actor, rma string, action Action, note string, fn change) (View, error) {
	if !mayEver(action, actor.Role) {
		return View{}, ErrForbidden
	}
	rma, ok := NormalizeRMANumber(rma)
	if !ok {
		return View{}, ErrNotFound
	}
	for attempt := 0; attempt < 5; attempt++ {
		c, err := s.store.ClaimWithPromises(ctx, rma)
		if errors.Is(err, fault.ErrNoRecord) || err == nil && !canSee(actor, c) {
			return View{}, ErrNotFound
		}
		if err != nil {
			return View{}, fmt.Errorf("%s claim: %w", action, err)
		}
		to, err := Next(action, c.Status, actor.Role)
		if errors.Is(err, ErrWrongState) {
			return View{}, ErrWrongState.With("Status", string(c.Status))
		}
		if err != nil {
			return View{}, err
		}
		now := s.Now()
		from, prev := c.Status, c.Version
		c.Status, c.UpdatedAt, c.Version = to, now, prev+1
		if fn != nil {
			if err := fn(&c, now); err != nil {
				return View{}, err
			}
		}
		c.keepLedger(action, now)
		ev := Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: action, From: from, To: to,
			ActorID: actor.UserID, ActorRole: actor.Role, Note: note}
		err = s.store.UpdateClaim(ctx, c, prev, ev, jobsFor(c, ev, time.Time{}, s.settings))
		if errors.Is(err, fault.ErrStale) {
			continue
		}
		if err != nil {
			return View{}, fmt.Errorf("%s claim: %w", action, err)
		}
		return s.Get(ctx, actor, rma)
	}
	return View{}, fault.New(fault.Conflict, "claim_busy")
}

func text(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return "", fault.Field(field, "field_required")
	}
	if utf8.RuneCountInString(s) > maxNote {
		return "", fault.Field(field, "text_too_long")
	}
	return s, nil
}

// Pick takes a submitted claim into review.
func (s *Service) Pick(ctx context.Context, actor account.Actor, rma string) (View, error) {
	return s.act(ctx, actor, rma, Pick, "", nil)
}

// Approve accepts a claim: the buyer may now send the device to the center
// the claim is routed to, before the ship-by date.
func (s *Service) Approve(ctx context.Context, actor account.Actor, rma, note string) (View, error) {
	note, err := text("note", note, false)
	if err != nil {
		return View{}, err
	}
	return s.act(ctx, actor, rma, Approve, note, func(c *Claim, now time.Time) error {
		by := now.AddDate(0, 0, s.settings.ShipByDays)
		c.ShipBy = &by
		c.ReviewPausedAt = nil
		return nil
	})
}

// Reject refuses a claim with one of RejectReasons.
func (s *Service) Reject(ctx context.Context, actor account.Actor, rma, reason, note string) (View, error) {
	reason = strings.TrimSpace(reason)
	if !slices.Contains(RejectReasons, reason) {
		return View{}, fault.Field("reason_code", "reason_code_invalid")
	}
	note, err := text("note", note, false)
	if err != nil {
		return View{}, err
	}
	return s.act(ctx, actor, rma, Reject, note, func(c *Claim, _ time.Time) error {
		c.RejectReason = reason
		c.ReviewPausedAt = nil
		return nil
	})
}

// RequestInfo asks the buyer a question; the review clock stops until the
// answer comes.
func (s *Service) RequestInfo(ctx context.Context, actor account.Actor, rma, question string) (View, error) {
	question, err := text("question", question, true)
	if err != nil {
		return View{}, err
	}
	return s.act(ctx, actor, rma, RequestInfo, question, func(c *Claim, now time.Time) error {
		c.Question = question
		c.ReviewPausedAt = &now
		return nil
	})
}

// Answer gives the buyer's answer; the review clock resumes with the working
// days it had left when the question was asked.
func (s *Service) Answer(ctx context.Context, actor account.Actor, rma, answer string) (View, error) {
	answer, err := text("answer", answer, true)
	if err != nil {
		return View{}, err
	}
	var resume change = func(c *Claim, now time.Time) error {
		if c.ReviewPausedAt == nil || c.ReviewDueAt == nil {
			return nil
		}
		ctr, err := s.store.Center(ctx, c.CenterCode)
		if err != nil {
			return fmt.Errorf("load center: %w", err)
		}
		left := s.cals.WorkdaysLeft(ctr.Country, ctr.Location(), *c.ReviewPausedAt, *c.ReviewDueAt)
		due := s.cals.AddWorkdays(ctr.Country, ctr.Location(), now, left)
		c.ReviewDueAt, c.ReviewPausedAt = &due, nil
		return nil
	}
	return s.act(ctx, actor, rma, Answer, answer, resume)
}

// Cancel withdraws a claim before the device reaches the center.
func (s *Service) Cancel(ctx context.Context, actor account.Actor, rma, reason string) (View, error) {
	reason, err := text("reason", reason, false)
	if err != nil {
		return View{}, err
	}
	return s.act(ctx, actor, rma, Cancel, reason, nil)
}

func shipment(carrier, tracking string) (string, string, error) {
	var f fault.Fields
	carrier, tracking = strings.TrimSpace(carrier), strings.TrimSpace(tracking)
	if carrier == "" || len(carrier) > 64 {
		f.Add("carrier", "carrier_required")
	}
	if tracking == "" || len(tracking) > 64 {
		f.Add("tracking_number", "tracking_required")
	}
	return carrier, tracking, f.Err("invalid_input")
}

// MarkSent records that the buyer handed the device to a carrier.
func (s *Service) MarkSent(ctx context.Context, actor account.Actor, rma, carrier, tracking string) (View, error) {
	carrier, tracking, err := shipment(carrier, tracking)
	if err != nil {
		return View{}, err
	}
	return s.act(ctx, actor, rma, MarkSent, carrier+" "+tracking, func(c *Claim, _ time.Time) error {
		c.InboundCarrier, c.InboundTracking = carrier, tracking
		return nil
	})
}

// StartDiagnosis records that a technician started examining the device.
func (s *Service) StartDiagnosis(ctx context.Context, actor account.Actor, rma string) (View, error) {
	return s.act(ctx, actor, rma, StartDiagnosis, "", nil)
}

// Diagnosis is a technician's finding and decision.
type Diagnosis struct {
	Findings        string
	Decision        string
	ReplacementIMEI string
	ReasonCode      string
}

// Decide records the diagnosis and the repair-or-replace decision.
func (s *Service) Decide(ctx context.Context, actor account.Actor, rma string, d Diagnosis) (View, error) {
	var f fault.Fields
	findings, err := text("findings", d.Findings, true)
	if err != nil {
		fe, _ := fault.As(err)
		f.Add("findings", fe.Reason)
	}
	var action Action
	repl := imei.Normalize(d.ReplacementIMEI)
	reason := strings.TrimSpace(d.ReasonCode)
	switch strings.TrimSpace(d.Decision) {
	case DecisionRepair:
		action = DecideRepair
	case DecisionReplace:
		action = DecideReplace
		if !imei.Valid(repl) {
			f.Add("replacement_imei", "imei_invalid")
		}
	case DecisionReturnUnrepaired:
		action = DecideReturnUnrepaired
		if !slices.Contains(UnrepairedReasons, reason) {
			f.Add("reason_code", "reason_code_invalid")
		}
	default:
		f.Add("decision", "decision_invalid")
	}
	if err := f.Err("invalid_input"); err != nil {
		return View{}, err
	}
	return s.act(ctx, actor, rma, action, findings, func(c *Claim, _ time.Time) error {
		if action == DecideReplace && repl == c.IMEI {
			return fault.Field("replacement_imei", "replacement_imei_same")
		}
		c.Findings, c.Decision = findings, strings.TrimSpace(d.Decision)
		if action == DecideReplace {
			c.ReplacementIMEI = repl
		}
		if action == DecideReturnUnrepaired {
			c.UnrepairedCode = reason
		}
		return nil
	})
}

// MarkReady records that the device passed quality control.
func (s *Service) MarkReady(ctx context.Context, actor account.Actor, rma, note string) (View, error) {
	note, err := text("note", note, false)
	if err != nil {
		return View{}, err
	}
	return s.act(ctx, actor, rma, Ready, note, nil)
}

// ShipBack records the return shipment to the buyer.
func (s *Service) ShipBack(ctx context.Context, actor account.Actor, rma, carrier, tracking string) (View, error) {
	carrier, tracking, err := shipment(carrier, tracking)
	if err != nil {
		return View{}, err
	}
	return s.act(ctx, actor, rma, ShipBack, carrier+" "+tracking, func(c *Claim, now time.Time) error {
		c.ReturnCarrier, c.ReturnTracking, c.ShippedAt = carrier, tracking, &now
		return nil
	})
}

// Deliver records that the buyer has the device back.
func (s *Service) Deliver(ctx context.Context, actor account.Actor, rma string) (View, error) {
	return s.act(ctx, actor, rma, Deliver, "", func(c *Claim, now time.Time) error {
		c.DeliveredAt = &now
		return nil
	})
}

// systemActor is the service itself acting on a timer.
var systemActor = account.Actor{UserID: "system", Role: System}

// Expire ends an approved claim whose device was not sent by its ship-by
// date; before that date it refuses.
func (s *Service) Expire(ctx context.Context, rma string) (View, error) {
	return s.act(ctx, systemActor, rma, Expire, "", func(c *Claim, now time.Time) error {
		if c.ShipBy == nil || now.Before(*c.ShipBy) {
			return ErrWrongState.With("Status", string(c.Status))
		}
		return nil
	})
}

// DeliverBySystem counts a shipped device as delivered when nobody said so
// in time.
func (s *Service) DeliverBySystem(ctx context.Context, rma string) (View, error) {
	return s.act(ctx, systemActor, rma, Deliver, "", func(c *Claim, now time.Time) error {
		c.DeliveredAt = &now
		return nil
	})
}

// Abandon ends a claim whose question the buyer left unanswered for the
// settled number of days.
func (s *Service) Abandon(ctx context.Context, rma string) (View, error) {
	return s.act(ctx, systemActor, rma, Abandon, "", func(c *Claim, _ time.Time) error {
		c.ReviewPausedAt = nil
		return nil
	})
}

// NoticeBreach marks the claim's open promise of kind as broken once its due
// time has passed, and schedules the buyer's apology, in one write. It
// reports whether it did: noticing a breach twice (two workers, a sweep)
// tells the buyer once, and a promise kept, paused or not yet due is left
// alone.
func (s *Service) NoticeBreach(ctx context.Context, rma string, kind promise.Kind) (bool, error) {
	return s.amend(ctx, rma, "notice breach", func(c *Claim, now time.Time) ([]Job, bool) {
		i := promise.Find(c.Promises, kind)
		if i < 0 || !c.Promises[i].NoticeBreach(now) {
			return nil, false
		}
		var jobs []Job
		if k, ok := apologyFor[c.Promises[i].Kind]; ok {
			jobs = append(jobs, Job{ID: ulid.Make().String(), Kind: k, ClaimID: c.ID, RunAt: now})
		}
		return jobs, true
	})
}

// amend changes a claim's promises outside the lifecycle (no event), under
// the claim's version like a transition: fn changes the claim read with its
// promises and says whether it changed anything; a lost race reads again.
func (s *Service) amend(ctx context.Context, rma, op string, fn func(c *Claim, now time.Time) ([]Job, bool)) (bool, error) {
	return s.amendNoting(ctx, rma, op, func(c *Claim, now time.Time) (Event, []Job, bool) {
		jobs, changed := fn(c, now)
		return Event{}, jobs, changed
	})
}

// amendNoting is amend whose change may also write an event (a step that
// does not change the status, such as an escalation or a device flag).
func (s *Service) amendNoting(ctx context.Context, rma, op string, fn func(c *Claim, now time.Time) (Event, []Job, bool)) (bool, error) {
	for attempt := 0; attempt < 5; attempt++ {
		c, err := s.store.ClaimWithPromises(ctx, rma)
		if err != nil {
			return false, fmt.Errorf("%s: %w", op, err)
		}
		now := s.Now()
		ev, jobs, changed := fn(&c, now)
		if !changed {
			return false, nil
		}
		prev := c.Version
		c.Version, c.UpdatedAt = prev+1, now
		err = s.store.UpdateClaim(ctx, c, prev, ev, jobs)
		if errors.Is(err, fault.ErrStale) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("%s: %w", op, err)
		}
		return true, nil
	}
	return false, fault.New(fault.Conflict, "claim_busy")
}

// Close ends a delivered claim.
func (s *Service) Close(ctx context.Context, rma string) (View, error) {
	return s.act(ctx, systemActor, rma, Close, "", nil)
}
