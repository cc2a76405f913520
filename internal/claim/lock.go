package claim

import (
	"context"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/promise"
)

// Hold is why a claim's return promise stands still, for the buyer's "what
// to do now" and the staff: the reason (a promise.Reason…), since when,
// and, for the activation lock, when the claim is escalated if it is still
// on, and whether it was.
type Hold struct {
	Reason      string
	Since       time.Time
	EscalatesAt *time.Time
	Escalated   bool
}

// ActionLockEscalated is the event of a claim escalated to a rep because the
// device's activation lock stayed on past its cap; the status does not
// change.
const ActionLockEscalated Action = "activation_lock_escalated"

// returnHold returns the return promise's open pause, if it stands still.
func (c Claim) returnHold() (*promise.Promise, promise.Pause, bool) {
	i := promise.Find(c.Promises, promise.Return)
	if i < 0 || !c.Promises[i].Paused() || c.Promises[i].State != promise.Open && c.Promises[i].State != promise.Broken {
		return nil, promise.Pause{}, false
	}
	p := &c.Promises[i]
	return p, p.Pauses[len(p.Pauses)-1], true
}

// lockHeld reports whether the return promise waits for the buyer to remove
// the device's activation lock.
func (c Claim) lockHeld() bool {
	_, ps, ok := c.returnHold()
	return ok && ps.Reason == promise.ReasonActivationLock
}

// Hold says why the claim's return promise stands still, if it does.
func (s *Service) Hold(c Claim) (Hold, bool) {
	p, ps, ok := c.returnHold()
	if !ok {
		return Hold{}, false
	}
	h := Hold{Reason: ps.Reason, Since: ps.From}
	if ps.Reason == promise.ReasonActivationLock {
		at := s.lockCapAt(ps)
		h.EscalatesAt, h.Escalated = &at, p.State == promise.Broken
	}
	return h, true
}

// LockEscalated reports whether the claim was escalated because its
// device's activation lock outlasted the cap, and the lock is still on.
func (c Claim) LockEscalated() bool {
	p, _, ok := c.returnHold()
	return ok && c.lockHeld() && p.State == promise.Broken
}

func (s *Service) lockCapAt(ps promise.Pause) time.Time {
	return ps.From.AddDate(0, 0, s.settings.ActivationLockCapDays)
}

// HoldReturn pauses the return promise while the device's activation lock
// is on (the buyer must remove it) and resumes it when the technician finds
// it off: the return date moves by exactly the time the lock held it. In
// the same write, a pause schedules the buyer's letter on how to remove
// the lock and the escalation at the cap; a resumption schedules the
// turnaround escalation at the new return date. The intake check records
// the lock's steps as events.
func (s *Service) HoldReturn(ctx context.Context, rma string, on bool) error {
	_, err := s.amend(ctx, rma, "hold return", func(c *Claim, now time.Time) ([]Job, bool) {
		i := promise.Find(c.Promises, promise.Return)
		if i < 0 {
			return nil, false
		}
		p := &c.Promises[i]
		if on {
			if p.State != promise.Open || p.Paused() {
				return nil, false
			}
			p.Pause(promise.ReasonActivationLock, now)
			return []Job{
				{ID: ulid.Make().String(), Kind: JobLockNotice, ClaimID: c.ID, RunAt: now},
				{ID: ulid.Make().String(), Kind: JobLockCap, ClaimID: c.ID, RunAt: s.lockCapAt(p.Pauses[len(p.Pauses)-1])},
			}, true
		}
		if !c.lockHeld() {
			return nil, false
		}
		// An escalated promise stays broken, but the center gets back the
		// time the lock took all the same.
		due := p.DueAt.Add(now.Sub(p.Pauses[len(p.Pauses)-1].From))
		p.Resume(now, due)
		c.ReturnDueAt = &due
		return []Job{{ID: ulid.Make().String(), Kind: JobTurnaroundEscalate, ClaimID: c.ID, RunAt: due}}, true
	})
	return err
}

// EscalateLock breaks the return promise of a claim whose device's
// activation lock is still on at the cap, noticed now, with an event: a
// promise cannot wait for ever and still count as open. It reports whether
// it did: before the cap, after the lock was removed, or a second time, it
// does nothing, so racing workers escalate once.
func (s *Service) EscalateLock(ctx context.Context, rma string) (bool, error) {
	return s.amendNoting(ctx, rma, "escalate activation lock", func(c *Claim, now time.Time) (Event, []Job, bool) {
		p, ps, ok := c.returnHold()
		if !ok || ps.Reason != promise.ReasonActivationLock || now.Before(s.lockCapAt(ps)) || !p.BreakOnHold(now) {
			return Event{}, nil, false
		}
		return Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: ActionLockEscalated, From: c.Status,
			To: c.Status, ActorID: systemActor.UserID, ActorRole: System,
			Note: fmt.Sprintf("activation lock still on after %d days", s.settings.ActivationLockCapDays)}, nil, true
	})
}
