package claim_test

import (
	"testing"
	"time"

	"rma/internal/claim"
	"rma/internal/promise"
)

// lastEvent is the newest event of a claim as the store has it.
func (e *env) lastEvent(t *testing.T, rma string) claim.Event {
	t.Helper()
	evs := e.reload(t, rma).Events
	return evs[len(evs)-1]
}

// Each job learns from the claim whether it still has work: a reminder to
// ship while the claim is approved, the automatic delivery while the parcel
// travels, the closing while it is delivered; and not once the claim moved
// on.
func TestJobsAreDueWhileTheirStatusLasts(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		cases := []struct {
			kind      claim.JobKind
			due, gone claim.Status
		}{
			{claim.JobShipByReminder, claim.Approved, claim.InTransit},
			{claim.JobAutoDeliver, claim.Shipped, claim.Delivered},
			{claim.JobClose, claim.Delivered, claim.Closed},
		}
		for _, tc := range cases {
			due := claim.Claim{Status: tc.due}
			gone := claim.Claim{Status: tc.gone}
			if !tc.kind.StillDue(due, nil, start) {
				t.Errorf("%s is not due in %s", tc.kind, tc.due)
			}
			if tc.kind.StillDue(gone, nil, start) {
				t.Errorf("%s is still due in %s", tc.kind, tc.gone)
			}
		}
		// The same on a claim the service moved there.
		c := e.at(t, claim.Shipped)
		if !claim.JobAutoDeliver.StillDue(c, nil, start) || claim.JobShipByReminder.StillDue(c, nil, start) {
			t.Error("on a shipped claim the automatic delivery is not due, or the reminder to ship is")
		}
		if claim.JobKind("no_such_job").StillDue(claim.Claim{Status: claim.Approved}, nil, start) {
			t.Error("an unknown job is due")
		}
	})
}

// The buyer's letter about an approval carries the slip: it is not sent
// once the claim has none; a letter about any other step still is; a
// letter whose event is gone is not.
func TestApprovalLetterWaitsForASlip(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Approved)
		approval := e.lastEvent(t, c.RMANumber)
		if approval.Action != claim.Approve {
			t.Fatalf("last event %s, want the approval", approval.Action)
		}
		submitted := e.reload(t, c.RMANumber).Events[0]
		v, err := e.svc.Get(e.ctx, e.buyer, c.RMANumber)
		must(t, err)
		if !claim.JobNotify.StillDue(v.Claim, &approval, start) {
			t.Error("the approval letter is not due on an approved claim")
		}
		if claim.JobNotify.StillDue(v.Claim, nil, start) {
			t.Error("a letter without its event is due")
		}
		v, err = e.svc.Cancel(e.ctx, e.buyer, c.RMANumber, "found it works")
		must(t, err)
		if claim.JobNotify.StillDue(v.Claim, &approval, start) {
			t.Error("the approval letter is due on a cancelled claim, which has no slip")
		}
		if !claim.JobNotify.StillDue(v.Claim, &submitted, start) {
			t.Error("the filing letter is not due on a cancelled claim")
		}
	})
}

// A question's reminder is due while the question is the one the claim
// waits on, and not after the buyer answered.
func TestQuestionRemindersWaitOnTheirQuestion(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.UnderReview)
		v, err := e.svc.RequestInfo(e.ctx, e.rep, c.RMANumber, "Which charger do you use?")
		must(t, err)
		q := e.lastEvent(t, c.RMANumber)
		if q.Action != claim.RequestInfo {
			t.Fatalf("last event %s, want the question", q.Action)
		}
		for _, k := range []claim.JobKind{claim.JobInfoReminder, claim.JobAbandon} {
			if !k.StillDue(v.Claim, &q, start) {
				t.Errorf("%s is not due while the question is open", k)
			}
		}
		if v.Claim.WaitingOn(nil) {
			t.Error("the claim waits on no question at all")
		}
		earlier := q
		earlier.At = q.At.Add(-time.Hour)
		if v.Claim.WaitingOn(&earlier) {
			t.Error("the claim waits on an earlier question")
		}
		e.clock.Set(start.Add(time.Hour))
		v, err = e.svc.Answer(e.ctx, e.buyer, c.RMANumber, "The one that came with it.")
		must(t, err)
		if v.Claim.WaitingOn(&q) || claim.JobAbandon.StillDue(v.Claim, &q, start) {
			t.Error("the claim still waits on an answered question")
		}
	})
}

// The apology is due once the promise is found broken, not before.
func TestApologyIsDueOnceThePromiseIsBroken(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.submit(t)
		get := func() claim.Claim {
			v, err := e.svc.Get(e.ctx, e.rep, c.RMANumber)
			must(t, err)
			return v.Claim
		}
		if claim.JobApologyAnswer.StillDue(get(), nil, start) {
			t.Error("an apology is due for a promise still kept")
		}
		e.clock.Set(start.AddDate(0, 0, 30))
		broke, err := e.svc.NoticeBreach(e.ctx, c.RMANumber, promise.Answer)
		if err != nil || !broke {
			t.Fatalf("notice breach a month on: %v, %v; want it broken", broke, err)
		}
		now := get()
		if !claim.JobApologyAnswer.StillDue(now, nil, e.clock.Now()) {
			t.Error("the apology for the broken answer promise is not due")
		}
		if claim.JobApologyReturn.StillDue(now, nil, e.clock.Now()) {
			t.Error("an apology is due for a return promise never made")
		}
	})
}

// The ship-by clock runs while the claim is approved and is breached from
// its deadline on, to the microsecond.
func TestShipByClockIsBreachedAtItsDeadline(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Approved)
		if c.ShipBy == nil {
			t.Fatal("an approved claim has no ship-by date")
		}
		if c.Breached(claim.ShipByClock, c.ShipBy.Add(-time.Microsecond)) {
			t.Error("breached before the ship-by date")
		}
		if !c.Breached(claim.ShipByClock, *c.ShipBy) {
			t.Error("not breached at the ship-by date")
		}
		v, err := e.svc.MarkSent(e.ctx, e.buyer, c.RMANumber, "DHL", "JD0001")
		must(t, err)
		if sent := v.Claim; sent.ShipBy == nil || sent.Breached(claim.ShipByClock, sent.ShipBy.AddDate(0, 1, 0)) {
			t.Error("the ship-by clock runs on a device already sent")
		}
		if (claim.Claim{Status: claim.Approved}).Breached(claim.ShipByClock, start) {
			t.Error("a claim without a ship-by date is breached")
		}
	})
}

// A slip exists from approval on, as long as the claim goes on.
func TestSlipAvailableFromApprovalOn(t *testing.T) {
	want := map[claim.Status]bool{
		claim.Submitted: false, claim.UnderReview: false, claim.InfoRequested: false,
		claim.Approved: true, claim.InTransit: true, claim.Received: true, claim.Shipped: true, claim.Delivered: true,
		claim.Rejected: false, claim.Cancelled: false, claim.Expired: false, claim.Abandoned: false,
	}
	for s, ok := range want {
		if s.SlipAvailable() != ok {
			t.Errorf("%s: slip available %v, want %v", s, !ok, ok)
		}
	}
}

// Only the timers may expire, abandon or close a claim; people do the rest;
// an action that does not exist is nobody's.
func TestSystemOnlyActions(t *testing.T) {
	for a, want := range map[claim.Action]bool{
		claim.Expire: true, claim.Abandon: true, claim.Close: true,
		claim.Submit: false, claim.Approve: false, claim.Deliver: false, claim.Action("no_such_action"): false,
	} {
		if got := claim.SystemOnly(a); got != want {
			t.Errorf("SystemOnly(%s) = %v, want %v", a, got, want)
		}
	}
}

// A device is empty when nothing was read off it, whichever identifier.
func TestDeviceEmpty(t *testing.T) {
	for d, want := range map[claim.Device]bool{
		{}:                                 true,
		{IMEI: "  ", Serial: " "}:          true,
		{IMEI: deviceIMEI}:                 false,
		{Serial: "TV-12345"}:               false,
		{IMEI: deviceIMEI, Serial: "TV-1"}: false,
	} {
		if d.Empty() != want {
			t.Errorf("%+v: empty %v, want %v", d, !want, want)
		}
	}
}
