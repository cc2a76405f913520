package claim_test

import (
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"rma/internal/claim"
	"rma/internal/fault"
	"rma/internal/promise"
)

// returnPromise reads the claim's return promise and version as a rep sees
// them.
func (e *env) returnPromise(t *testing.T, rma string) (promise.Promise, int) {
	t.Helper()
	v, err := e.svc.Get(e.ctx, e.rep, rma)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := v.Claim.Promise(promise.Return)
	if !ok {
		t.Fatalf("%s has no return promise", rma)
	}
	return p, v.Claim.Version
}

// TestAmendAddsOneToTheVersionAndNoEvent: holding and releasing the return
// promise each write the claim once, under its version, without an event;
// asking for the state it is already in writes nothing.
func TestAmendAddsOneToTheVersionAndNoEvent(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Received)
		events := len(e.reload(t, c.RMANumber).Events)
		_, v0 := e.returnPromise(t, c.RMANumber)
		must(t, e.svc.HoldReturn(e.ctx, c.RMANumber, true))
		p, v1 := e.returnPromise(t, c.RMANumber)
		if !p.Paused() || v1 != v0+1 {
			t.Fatalf("hold: paused %v, version %d after %d", p.Paused(), v1, v0)
		}
		must(t, e.svc.HoldReturn(e.ctx, c.RMANumber, true))
		if _, v := e.returnPromise(t, c.RMANumber); v != v1 {
			t.Errorf("a second hold wrote the claim: version %d after %d", v, v1)
		}
		must(t, e.svc.HoldReturn(e.ctx, c.RMANumber, false))
		p, v2 := e.returnPromise(t, c.RMANumber)
		if p.Paused() || v2 != v1+1 {
			t.Errorf("release: paused %v, version %d after %d", p.Paused(), v2, v1)
		}
		if n := len(e.reload(t, c.RMANumber).Events); n != events {
			t.Errorf("%d events after the hold, %d before", n, events)
		}
		// The claim goes on through the lifecycle from the amended version.
		if _, err := e.svc.StartDiagnosis(e.ctx, e.techBER, c.RMANumber); err != nil {
			t.Errorf("start diagnosis after the hold: %v", err)
		}
	})
}

// TestAnAmendThatLosesARaceRereads: a claim changed between the amend's
// read and its write is read again and amended once.
func TestAnAmendThatLosesARaceRereads(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Received)
		_, v0 := e.returnPromise(t, c.RMANumber)
		var reads atomic.Int32
		bump := bumpVersion(e, c.ID)
		on := afterClaimRead(t, e, func(db *gorm.DB) {
			if reads.Add(1) == 1 {
				bump(db)
			}
		})
		on.Store(true)
		err := e.svc.HoldReturn(e.ctx, c.RMANumber, true)
		on.Store(false)
		must(t, err)
		p, v := e.returnPromise(t, c.RMANumber)
		if !p.Paused() || len(p.Pauses) != 1 || v != v0+2 {
			t.Errorf("paused %v with %d pauses at version %d, want one pause at %d (bumped once, amended once)",
				p.Paused(), len(p.Pauses), v, v0+2)
		}
	})
}

// TestAnAmendOfAClaimThatKeepsChangingIsBusy: a claim changed behind every
// read is given up on with a conflict after a few tries, not retried until
// the other writer stops.
func TestAnAmendOfAClaimThatKeepsChangingIsBusy(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Received)
		var reads atomic.Int32
		bump := bumpVersion(e, c.ID)
		// The other writer stops after 50 changes: a loop without a bound
		// would then get through instead of answering busy.
		on := afterClaimRead(t, e, func(db *gorm.DB) {
			if reads.Add(1) <= 50 {
				bump(db)
			}
		})
		on.Store(true)
		err := e.svc.HoldReturn(e.ctx, c.RMANumber, true)
		on.Store(false)
		refused(t, err, fault.Conflict, "claim_busy", "")
		if n := reads.Load(); n < 2 || n > 10 {
			t.Errorf("%d reads before giving up", n)
		}
		if p, _ := e.returnPromise(t, c.RMANumber); p.Paused() {
			t.Error("a busy claim was amended")
		}
	})
}
