package worker_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"rma/internal/bench"
	"rma/internal/claim"
	"rma/internal/promise"
)

// A device that arrives with its activation lock on: the buyer is told in
// their language how to remove it, the turnaround clock stands still (no
// overdue letter at the old return date), the cap escalates to the reps
// once however many workers race, with the promise broken and an event,
// and the technician's "off" moves the return date by exactly the time the
// lock held it.
func TestActivationLockTellsTheBuyerAndEscalatesOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		rma := e.file()
		e.approve(rma)
		e.receive(rma)
		e.sweep()
		tech := e.actor("tech@example.com")
		before, err := e.app.Claims.Get(ctx, tech, rma)
		if err != nil {
			t.Fatal(err)
		}
		due := *before.Claim.ReturnDueAt

		e.clock.Set(e.clock.Now().Add(time.Hour))
		lockedAt := e.clock.Now()
		if _, _, err := e.app.Bench.RecordIntake(ctx, tech, rma, bench.IntakeRequest{Condition: "good", ActivationLock: bench.LockOn}); err != nil {
			t.Fatal(err)
		}
		e.sweep()
		recs, err := e.app.Mailer.List(ctx, mailTo("buyer@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		var told int
		for _, m := range recs {
			if m.Kind == "activation_lock" && m.RMANumber == rma {
				told++
				if m.Language != "ru" || !strings.Contains(m.Subject, "блокировку активации") || !strings.Contains(m.Text, "icloud.com/find") {
					t.Errorf("the buyer's letter is not in Russian or says nothing of how: %q / %q", m.Subject, m.Text)
				}
			}
		}
		if told != 1 {
			t.Fatalf("%d activation lock letters to the buyer, want 1", told)
		}
		view, err := e.app.Claims.Get(ctx, e.actor("buyer@example.com"), rma)
		if err != nil {
			t.Fatal(err)
		}
		h, ok := e.app.Claims.Hold(view.Claim)
		if !ok || h.Reason != promise.ReasonActivationLock || !h.Since.Equal(lockedAt) ||
			h.EscalatesAt == nil || !h.EscalatesAt.Equal(lockedAt.AddDate(0, 0, claim.DefaultActivationLockCapDays)) {
			t.Fatalf("hold %+v (%v), want the activation lock since %s, escalated 14 days later", h, ok, lockedAt)
		}

		// Past the cap (and past the old return date): the reps hear of it
		// once, the centre's overdue letter does not come.
		e.clock.Set(lockedAt.AddDate(0, 0, claim.DefaultActivationLockCapDays+2))
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if i%2 == 0 {
					_, _ = e.app.Runner.Sweep(ctx)
				} else if _, err := e.app.Claims.EscalateLock(ctx, rma); err != nil {
					t.Error(err)
				}
			}(i)
		}
		wg.Wait()
		e.sweep()
		v, err := e.app.Store.ClaimView(ctx, rma)
		if err != nil {
			t.Fatal(err)
		}
		escalations := 0
		for _, ev := range v.Events {
			if ev.Action == claim.ActionLockEscalated {
				escalations++
			}
		}
		p, _ := v.Claim.Promise(promise.Return)
		if escalations != 1 || p.State != promise.Broken || p.BrokenAt == nil || !v.Claim.LockEscalated() {
			t.Fatalf("%d escalation events, promise %s (broken at %v); want 1, broken", escalations, p.State, p.BrokenAt)
		}
		kinds := map[string]int{}
		for _, m := range e.mails(rma) {
			kinds[m]++
		}
		if kinds["activation_lock_cap rep@example.com"] != 1 {
			t.Errorf("the rep got %d escalation letters, want 1: %v", kinds["activation_lock_cap rep@example.com"], kinds)
		}
		for k := range kinds {
			if strings.HasPrefix(k, "turnaround_escalate") || strings.HasPrefix(k, "apology_") {
				t.Errorf("%s sent while the lock held the return", k)
			}
		}

		// The technician finds it off: the return date moves by the pause.
		e.clock.Set(e.clock.Now().Add(26 * time.Hour))
		off := e.clock.Now()
		if _, _, err := e.app.Bench.RecordIntake(ctx, tech, rma, bench.IntakeRequest{Condition: "good", ActivationLock: bench.LockOff}); err != nil {
			t.Fatal(err)
		}
		after, err := e.app.Store.ClaimView(ctx, rma)
		if err != nil {
			t.Fatal(err)
		}
		if want := due.Add(off.Sub(lockedAt)); !after.Claim.ReturnDueAt.Equal(want) {
			t.Errorf("return due %s, want %s (moved by %s)", after.Claim.ReturnDueAt, want, off.Sub(lockedAt))
		}
		if _, held := e.app.Claims.Hold(after.Claim); held {
			t.Error("still on hold after the lock is off")
		}
		if p, _ := after.Claim.Promise(promise.Return); p.State != promise.Broken {
			t.Errorf("the escalated promise is %s again, want still broken", p.State)
		}
	})
}
