package claim_test

import (
	"testing"
	"time"

	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/promise"
	"rma/internal/sla"
)

// lockedAt receives a claim, moves the clock an hour on and switches the
// activation lock on; it returns the claim's RMA number and when the lock
// came on.
func (e *env) lockedAt(t *testing.T, svc *claim.Service) (string, time.Time) {
	t.Helper()
	c := e.at(t, claim.Received)
	e.clock.Set(e.clock.Now().Add(time.Hour))
	on := e.clock.Now()
	must(t, svc.HoldReturn(e.ctx, c.RMANumber, true))
	return c.RMANumber, on
}

// hold reads the claim as its technician does and returns its hold.
func (e *env) hold(t *testing.T, svc *claim.Service, rma string) (claim.Claim, claim.Hold, bool) {
	t.Helper()
	v, err := svc.Get(e.ctx, e.techBER, rma)
	must(t, err)
	h, ok := svc.Hold(v.Claim)
	return v.Claim, h, ok
}

// The activation lock holds the return promise: the hold names the lock,
// since when, and the escalation at the cap (the default two weeks, or the
// configured days); the escalation comes neither early nor twice, breaks
// the promise, and is shown as such while the lock stays on; the lock's
// jobs are due exactly while it holds.
func TestActivationLockHoldsTheReturnUntilItsCap(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		rma, on := e.lockedAt(t, e.svc)
		c, h, ok := e.hold(t, e.svc, rma)
		capAt := on.AddDate(0, 0, claim.DefaultActivationLockCapDays)
		if !ok || h.Reason != promise.ReasonActivationLock || !h.Since.Equal(on) || h.EscalatesAt == nil ||
			!h.EscalatesAt.Equal(capAt) || h.Escalated {
			t.Fatalf("hold %+v (%v); want the lock since %s, escalating at %s, not yet escalated", h, ok, on, capAt)
		}
		if c.LockEscalated() {
			t.Error("a fresh lock counts as escalated")
		}
		for _, k := range []claim.JobKind{claim.JobLockNotice, claim.JobLockCap} {
			if !k.StillDue(c, nil, on) {
				t.Errorf("%s is not due while the lock holds", k)
			}
		}
		if c.Breached(claim.TurnaroundClock, c.ReturnDueAt.Add(time.Hour)) {
			t.Error("the turnaround clock runs while the lock holds it")
		}

		e.clock.Set(capAt.Add(-time.Microsecond))
		if did, err := e.svc.EscalateLock(e.ctx, rma); err != nil || did {
			t.Fatalf("escalation before the cap: %v, %v; want nothing done", did, err)
		}
		e.clock.Set(capAt)
		if did, err := e.svc.EscalateLock(e.ctx, rma); err != nil || !did {
			t.Fatalf("escalation at the cap: %v, %v; want it done", did, err)
		}
		if did, err := e.svc.EscalateLock(e.ctx, rma); err != nil || did {
			t.Fatalf("a second escalation: %v, %v; want nothing done", did, err)
		}
		c, h, ok = e.hold(t, e.svc, rma)
		if !ok || h.Reason != promise.ReasonActivationLock || !h.Escalated || !c.LockEscalated() {
			t.Fatalf("after the cap: hold %+v (%v), escalated %v; want the lock, escalated", h, ok, c.LockEscalated())
		}
		if p, _ := c.Promise(promise.Return); p.State != promise.Broken {
			t.Errorf("return promise %s after the escalation, want broken", p.State)
		}
		var events int
		for _, ev := range e.reload(t, rma).Events {
			if ev.Action == claim.ActionLockEscalated {
				events++
			}
		}
		if events != 1 {
			t.Errorf("%d escalation events, want 1", events)
		}
		if !claim.JobLockCap.StillDue(c, nil, capAt) {
			t.Error("the cap's job is not due while an escalated lock still holds")
		}

		// The technician finds the lock off: no hold, nothing escalated,
		// nothing more to escalate, the lock's jobs done.
		e.clock.Set(capAt.Add(time.Hour))
		must(t, e.svc.HoldReturn(e.ctx, rma, false))
		c, h, ok = e.hold(t, e.svc, rma)
		if ok || c.LockEscalated() {
			t.Errorf("lock off: hold %+v (%v), escalated %v; want none", h, ok, c.LockEscalated())
		}
		if claim.JobLockNotice.StillDue(c, nil, capAt) || claim.JobLockCap.StillDue(c, nil, capAt) {
			t.Error("the lock's jobs are still due after it came off")
		}
		if did, err := e.svc.EscalateLock(e.ctx, rma); err != nil || did {
			t.Errorf("escalation after the lock came off: %v, %v; want nothing done", did, err)
		}
	})
}

// A pause that is not the activation lock's is a hold without an
// escalation, and EscalateLock leaves it alone even long past the cap.
func TestAnotherPauseIsNotTheLock(t *testing.T) {
	c := claim.Claim{Status: claim.Received, Promises: []promise.Promise{
		promise.Make("01A", promise.Answer, start, start.AddDate(0, 0, 5)),
		promise.Make("01B", promise.Return, start, start.AddDate(0, 0, 15)),
	}}
	c.Promises[1].Pause(promise.ReasonQuestion, start)
	svc := claim.NewService(nil, coverage.NewPolicy(coverage.Settings{}), sla.NewCalendars(), claim.Settings{},
		func() time.Time { return start })
	h, ok := svc.Hold(c)
	if !ok || h.Reason != promise.ReasonQuestion || h.EscalatesAt != nil || h.Escalated {
		t.Errorf("hold %+v (%v); want the question's pause, with no escalation", h, ok)
	}
	if c.LockEscalated() || claim.JobLockCap.StillDue(c, nil, start.AddDate(1, 0, 0)) {
		t.Error("another pause counts as the activation lock")
	}
}

// The cap is a setting: a service configured with three days escalates at
// three days, not at the default.
func TestActivationLockCapIsConfigurable(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		svc := claim.NewService(e.st, coverage.NewPolicy(coverage.Settings{ExcludedWarrantyCountries: []string{"MT"}}),
			sla.NewCalendars(), claim.Settings{ReviewDays: 5, ShipByDays: 30, ReturnDays: 15, ActivationLockCapDays: 3},
			e.clock.Now)
		rma, on := e.lockedAt(t, svc)
		_, h, ok := e.hold(t, svc, rma)
		if want := on.AddDate(0, 0, 3); !ok || h.EscalatesAt == nil || !h.EscalatesAt.Equal(want) {
			t.Fatalf("hold %+v (%v); want the escalation at %s", h, ok, want)
		}
		e.clock.Set(on.AddDate(0, 0, 3))
		if did, err := svc.EscalateLock(e.ctx, rma); err != nil || !did {
			t.Errorf("escalation at the configured cap: %v, %v; want it done", did, err)
		}
	})
}

// A claim filed before promises were kept has no answer promise: its return
// promise, opened at receipt, is the first of its list, and the lock holds
// it all the same.
func TestTheLockHoldsAReturnPromiseThatIsTheFirst(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.InTransit)
		must(t, e.st.DB().Exec("DELETE FROM promises WHERE claim_id = ?", c.ID).Error)
		_, _, err := e.svc.Receive(e.ctx, e.techBER, c.RMANumber, "")
		must(t, err)
		v, err := e.svc.Get(e.ctx, e.techBER, c.RMANumber)
		must(t, err)
		if len(v.Claim.Promises) != 1 || v.Claim.Promises[0].Kind != promise.Return {
			t.Fatalf("promises %+v, want the return promise alone", v.Claim.Promises)
		}
		e.clock.Set(e.clock.Now().Add(time.Hour))
		on := e.clock.Now()
		must(t, e.svc.HoldReturn(e.ctx, c.RMANumber, true))
		_, h, ok := e.hold(t, e.svc, c.RMANumber)
		if !ok || h.Reason != promise.ReasonActivationLock || !h.Since.Equal(on) {
			t.Fatalf("hold %+v (%v); want the activation lock since %s", h, ok, on)
		}
		kinds := e.jobKinds(t, c.ID)
		if kinds[claim.JobLockNotice] != 1 || kinds[claim.JobLockCap] != 1 {
			t.Errorf("jobs %v; want one lock notice and one cap", kinds)
		}
	})
}
