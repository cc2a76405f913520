package claim_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/imei"
	"rma/internal/order"
)

// claimedIMEI is a valid IMEI that no order records.
var claimedIMEI = imei.WithCheckDigit("35209900176148")

// bareOrder gives a new buyer an order in Germany that records no IMEI.
func (e *env) bareOrder(t *testing.T, name string) account.Actor {
	t.Helper()
	b := user(t, e.st, name+"@example.com", account.Buyer, "")
	putOrder(t, e.st, order.Order{Number: "ORD-" + name, BuyerEmail: b.Email, Country: "DE", Category: order.CategoryPhone,
		Coverages: []coverage.Kind{coverage.ExtendedWarranty}, CompletedAt: &completed})
	return b
}

func (e *env) fileFor(t *testing.T, b account.Actor, orderNumber, id string) (claim.View, error) {
	t.Helper()
	return e.svc.Submit(e.ctx, b, claim.Request{OrderNumber: orderNumber, Coverage: coverage.ExtendedWarranty, IMEI: id,
		Description: "The screen stays black after a night of charging."})
}

// conflictEvents counts a claim's device-conflict events as the store has
// them.
func (e *env) conflictEvents(t *testing.T, rma string) int {
	t.Helper()
	n := 0
	for _, ev := range e.reload(t, rma).Events {
		if ev.Action == claim.ActionDeviceConflict {
			n++
		}
	}
	return n
}

// A buyer whose order records no IMEI cannot block the owner's claim: the
// owner files, both claims are flagged for a rep, each once, with an event
// buyers do not see; a second claim of the owner's own device is still
// refused, and so is the same order's second claim of the same device.
func TestAnUnprovenIdentifierIsFlaggedNotBlocking(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		owner := user(t, e.st, "owner@example.com", account.Buyer, "")
		putOrder(t, e.st, order.Order{Number: "ORD-OWN", BuyerEmail: owner.Email, Country: "DE", IMEI: claimedIMEI,
			Category: order.CategoryPhone, Coverages: []coverage.Kind{coverage.ExtendedWarranty}, CompletedAt: &completed})
		squatter := e.bareOrder(t, "squatter")

		first, err := e.fileFor(t, squatter, "ORD-squatter", claimedIMEI)
		must(t, err)
		if first.Claim.DeviceCheck != claim.DeviceClaimed || first.Claim.Flagged() {
			t.Fatalf("alone: check %q, flagged %v; want claimed, not flagged", first.Claim.DeviceCheck, first.Claim.Flagged())
		}
		_, err = e.fileFor(t, squatter, "ORD-squatter", claimedIMEI)
		refused(t, err, fault.Conflict, "device_has_open_claim", "")

		own, err := e.fileFor(t, owner, "ORD-OWN", claimedIMEI)
		if err != nil {
			t.Fatalf("the owner is blocked: %v", err)
		}
		if own.Claim.DeviceCheck != claim.DeviceOnOrder || !own.Claim.DeviceConflict {
			t.Errorf("owner's claim: check %q, conflict %v; want order, true", own.Claim.DeviceCheck, own.Claim.DeviceConflict)
		}
		for _, rma := range []string{first.Claim.RMANumber, own.Claim.RMANumber} {
			if !e.reload(t, rma).Claim.DeviceConflict {
				t.Errorf("%s is not flagged", rma)
			}
			if n := e.conflictEvents(t, rma); n != 1 {
				t.Errorf("%s: %d conflict events, want 1", rma, n)
			}
		}
		// Each claim's event names the other claim, not itself.
		for _, pair := range [][2]string{{first.Claim.RMANumber, own.Claim.RMANumber}, {own.Claim.RMANumber, first.Claim.RMANumber}} {
			for _, ev := range e.reload(t, pair[0]).Events {
				if ev.Action == claim.ActionDeviceConflict &&
					(!strings.Contains(ev.Note, pair[1]) || strings.Contains(ev.Note, pair[0])) {
					t.Errorf("%s's conflict event %q; want it to name %s alone", pair[0], ev.Note, pair[1])
				}
			}
		}
		for _, ev := range own.Events {
			if ev.StaffOnly() {
				t.Errorf("the buyer's answer shows the staff event %s", ev.Action)
			}
		}
		seen, err := e.svc.Get(e.ctx, squatter, first.Claim.RMANumber)
		must(t, err)
		for _, ev := range seen.Events {
			if ev.Action == claim.ActionDeviceConflict {
				t.Error("the buyer reads the conflict event, which names another buyer's claim")
			}
		}
		staff, err := e.svc.Get(e.ctx, e.rep, first.Claim.RMANumber)
		must(t, err)
		if staff.Events[len(staff.Events)-1].Action != claim.ActionDeviceConflict {
			t.Error("the rep does not see the conflict in the timeline")
		}

		// Where the order records the IMEI, the rule stays strict.
		_, err = e.fileFor(t, owner, "ORD-OWN", claimedIMEI)
		refused(t, err, fault.Conflict, "device_has_open_claim", "")

		// A third buyer's claim joins the conflict; the two flagged before
		// are not flagged (nor written) again.
		third := e.bareOrder(t, "third")
		v, err := e.fileFor(t, third, "ORD-third", claimedIMEI)
		must(t, err)
		if !v.Claim.DeviceConflict {
			t.Error("the third claim is not flagged")
		}
		for _, rma := range []string{first.Claim.RMANumber, own.Claim.RMANumber, v.Claim.RMANumber} {
			if n := e.conflictEvents(t, rma); n != 1 {
				t.Errorf("%s: %d conflict events, want 1", rma, n)
			}
		}
		// A claim on the owner's own order, with nobody else on the device,
		// is never flagged.
		if c := e.submit(t); c.Flagged() || c.DeviceCheck != claim.DeviceOnOrder {
			t.Errorf("an ordinary claim: check %q, flagged %v", c.DeviceCheck, c.Flagged())
		}
	})
}

// Buyers racing to claim one identifier that none of their orders records:
// every claim is filed and every one is flagged, once, whatever the order
// the database let them in.
func TestBuyersRacingOnOneUnprovenDevice(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for round := 0; round < 3; round++ {
			id := imei.WithCheckDigit(fmt.Sprintf("3520990017%04d", round))
			const n = 4
			buyers := make([]account.Actor, n)
			for i := range buyers {
				buyers[i] = e.bareOrder(t, fmt.Sprintf("racer%d-%d", round, i))
			}
			rmas := make([]string, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			gate := make(chan struct{})
			for i := range buyers {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-gate
					v, err := e.svc.Submit(e.ctx, buyers[i], claim.Request{OrderNumber: fmt.Sprintf("ORD-racer%d-%d", round, i),
						Coverage: coverage.ExtendedWarranty, IMEI: id, Description: "It does not charge any more."})
					rmas[i], errs[i] = v.Claim.RMANumber, err
				}(i)
			}
			close(gate)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("round %d, buyer %d refused: %v", round, i, err)
				}
			}
			for _, rma := range rmas {
				if !e.reload(t, rma).Claim.DeviceConflict {
					t.Errorf("round %d: %s is not flagged", round, rma)
				}
				if k := e.conflictEvents(t, rma); k != 1 {
					t.Errorf("round %d: %s has %d conflict events, want 1", round, rma, k)
				}
			}
		}
	})
}

// At intake an identifier on the buyer's word is confirmed by the one read
// off the device: without it the device is not taken in; the same one
// confirms it; another is taken in all the same and flagged, with what was
// read in a staff event. Where the order records the IMEI, a different
// device is refused as before.
func TestIntakeConfirmsAnUnprovenIdentifier(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		inTransit := func(b account.Actor, orderNumber, id string) string {
			v, err := e.fileFor(t, b, orderNumber, id)
			must(t, err)
			rma := v.Claim.RMANumber
			_, err = e.svc.Pick(e.ctx, e.rep, rma)
			must(t, err)
			_, err = e.svc.Approve(e.ctx, e.rep, rma, "")
			must(t, err)
			_, err = e.svc.MarkSent(e.ctx, b, rma, "DHL", "JD0001")
			must(t, err)
			return rma
		}
		honest := e.bareOrder(t, "honest")
		rma := inTransit(honest, "ORD-honest", claimedIMEI)
		_, _, err := e.svc.Receive(e.ctx, e.techBER, rma, "")
		refused(t, err, fault.Invalid, "device_confirm_required", "imei")
		if st := e.reload(t, rma).Claim.Status; st != claim.InTransit {
			t.Fatalf("refused receipt left status %s", st)
		}
		v, first, err := e.svc.Receive(e.ctx, e.techBER, rma, claimedIMEI)
		must(t, err)
		if !first || v.Claim.DeviceCheck != claim.DeviceConfirmed || v.Claim.Flagged() {
			t.Errorf("matching device: first %v, check %q, flagged %v", first, v.Claim.DeviceCheck, v.Claim.Flagged())
		}

		other := e.bareOrder(t, "other")
		wrong := imei.WithCheckDigit("35209900176149")
		rma2 := inTransit(other, "ORD-other", wrong)
		v, _, err = e.svc.Receive(e.ctx, e.techBER, rma2, claimedIMEI)
		must(t, err)
		if v.Claim.Status != claim.Received || v.Claim.DeviceCheck != claim.DeviceMismatch || !v.Claim.Flagged() {
			t.Errorf("another device: status %s, check %q, flagged %v", v.Claim.Status, v.Claim.DeviceCheck, v.Claim.Flagged())
		}
		last := e.reload(t, rma2).Events
		if ev := last[len(last)-1]; ev.Action != claim.ActionDeviceChecked || ev.ActorID != e.techBER.UserID ||
			!strings.Contains(ev.Note, claimedIMEI) {
			t.Errorf("last event %s by %s: %q; want the read IMEI, by the technician", ev.Action, ev.ActorID, ev.Note)
		}
		seen, err := e.svc.Get(e.ctx, other, rma2)
		must(t, err)
		for _, ev := range seen.Events {
			if ev.StaffOnly() || ev.Action == claim.ActionDeviceChecked {
				t.Error("the buyer reads what was read off the device")
			}
		}
		// The buyer still reads every step of their claim.
		if got := actions(seen.Events); !slices.Contains(got, claim.Submit) || !slices.Contains(got, claim.Receive) {
			t.Errorf("the buyer reads %v; want the filing and the receipt among them", got)
		}
		staff, err := e.svc.Get(e.ctx, e.techBER, rma2)
		must(t, err)
		if got := actions(staff.Events); !slices.Contains(got, claim.ActionDeviceChecked) {
			t.Errorf("the technician reads %v; want the device check among them", got)
		}

		// The owner's order records the IMEI: a different device is refused.
		c := e.at(t, claim.InTransit)
		_, _, err = e.svc.Receive(e.ctx, e.techBER, c.RMANumber, otherIMEI)
		if !errors.Is(err, fault.ErrConflict) {
			t.Errorf("a different device for an IMEI on the order: %v, want a conflict", err)
		}
		if _, _, err := e.svc.Receive(e.ctx, e.techBER, c.RMANumber, ""); err != nil {
			t.Errorf("the order's own IMEI needs no reading: %v", err)
		}
	})
}

// actions lists the actions of a timeline, in order.
func actions(evs []claim.Event) []claim.Action {
	out := make([]claim.Action, 0, len(evs))
	for _, ev := range evs {
		out = append(out, ev.Action)
	}
	return out
}
