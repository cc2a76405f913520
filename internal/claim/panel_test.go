package claim_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/order"
)

// refile cancels the buyer's claim and, at, files the same device again.
func (e *env) refile(t *testing.T, c claim.Claim, at time.Time) claim.Claim {
	t.Helper()
	_, err := e.svc.Cancel(e.ctx, e.buyer, c.RMANumber, "filed by mistake")
	must(t, err)
	e.clock.Set(at)
	return e.submit(t)
}

func rmaNumbers(cs []claim.Claim) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.RMANumber)
	}
	return out
}

// The review panel shows staff the order, when the coverage ends, and the
// device's other claims; a claim the device had less than a year before or
// after is a repeat, one exactly a year away is not.
func TestPanelShowsTheOrderAndTheDevicesOtherClaims(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		first := e.submit(t)
		second := e.refile(t, first, start.AddDate(0, 0, 365))
		third := e.refile(t, second, start.AddDate(0, 0, 366))
		if gap := second.CreatedAt.Sub(first.CreatedAt); gap != 365*24*time.Hour {
			t.Fatalf("the first two claims are %s apart, want exactly 365 days", gap)
		}
		panel := func(c claim.Claim) claim.ReviewPanel {
			t.Helper()
			v, err := e.svc.Get(e.ctx, e.rep, c.RMANumber)
			must(t, err)
			p, err := e.svc.Panel(e.ctx, e.rep, v)
			must(t, err)
			return p
		}

		p := panel(first)
		if p.Order == nil || p.Order.Number != "ORD-DE" {
			t.Fatalf("panel order %+v, want ORD-DE", p.Order)
		}
		if want := e.warrantyTerm.Ends(completed); p.TermEnds == nil || !p.TermEnds.Equal(want) {
			t.Errorf("term ends %v, want %s", p.TermEnds, want)
		}
		if p.Repeat || len(p.Earlier) != 2 {
			t.Errorf("first claim, the others 365 and 366 days later: repeat %v, others %v; want no repeat, two others",
				p.Repeat, rmaNumbers(p.Earlier))
		}
		for name, c := range map[string]claim.Claim{"second": second, "third": third} {
			p := panel(c)
			got := rmaNumbers(p.Earlier)
			if len(got) != 2 || got[0] == c.RMANumber || got[1] == c.RMANumber {
				t.Errorf("%s claim's others %v, want the two other claims", name, got)
			}
			// The second and the third are a day apart.
			if !p.Repeat {
				t.Errorf("%s claim, a day from another: not a repeat", name)
			}
		}
	})
}

// Reps, admins and the center's technicians read the panel; a buyer may
// not. A claim that names no device shows its order and no other claims.
func TestPanelIsForStaff(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.submit(t)
		admin := user(t, e.st, "admin@example.com", account.Admin, "")
		v, err := e.svc.Get(e.ctx, e.rep, c.RMANumber)
		must(t, err)
		for _, a := range []account.Actor{e.rep, admin, e.techBER} {
			p, err := e.svc.Panel(e.ctx, a, v)
			if err != nil || p.Order == nil || p.Order.Number != "ORD-DE" {
				t.Errorf("%s: panel %+v, %v; want the order", a.Role, p, err)
			}
		}
		if _, err := e.svc.Panel(e.ctx, e.buyer, v); !errors.Is(err, claim.ErrForbidden) {
			t.Errorf("buyer: %v, want forbidden", err)
		}

		bare := claim.View{Claim: claim.Claim{ID: "none", OrderNumber: "ORD-DE", CreatedAt: start}}
		p, err := e.svc.Panel(e.ctx, e.rep, bare)
		if err != nil || p.Order == nil || p.Earlier != nil || p.Repeat {
			t.Errorf("a claim without a device: %+v, %v; want the order alone", p, err)
		}

		// An order not completed yet has no end of coverage to show.
		putOrder(t, e.st, order.Order{Number: "ORD-OPEN", BuyerEmail: e.buyer.Email, Country: "DE", IMEI: otherIMEI,
			Category: order.CategoryPhone, Coverages: []coverage.Kind{coverage.ExtendedWarranty}})
		open := claim.View{Claim: claim.Claim{ID: "none", OrderNumber: "ORD-OPEN", Coverage: coverage.ExtendedWarranty}}
		p, err = e.svc.Panel(e.ctx, e.rep, open)
		if err != nil || p.Order == nil || p.TermEnds != nil {
			t.Errorf("an open order: %+v, %v; want the order without an end of coverage", p, err)
		}
	})
}

// OpenOnDevice finds the open claim on a device of the actor's order: the
// device given, else the order's own; a claim of someone else is reported
// without its RMA number; an order that is not the actor's finds nothing.
func TestOpenOnDeviceFindsTheOpenClaim(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		open := func(a account.Actor, orderNumber, device string) (claim.Claim, bool) {
			t.Helper()
			c, found, err := e.svc.OpenOnDevice(e.ctx, a, orderNumber, device)
			must(t, err)
			return c, found
		}
		if _, found := open(e.buyer, "ORD-DE", ""); found {
			t.Fatal("an open claim before any was filed")
		}
		c := e.submit(t)
		for _, device := range []string{"", deviceIMEI, " 49 015420 323751 8 "} {
			if got, found := open(e.buyer, "ORD-DE", device); !found || got.RMANumber != c.RMANumber {
				t.Errorf("device %q: %q (found %v), want %s", device, got.RMANumber, found, c.RMANumber)
			}
		}
		if got, found := open(e.buyer, "ORD-DE", otherIMEI); found {
			t.Errorf("another device finds %q", got.RMANumber)
		}
		if got, found := open(e.stranger, "ORD-DE", deviceIMEI); found {
			t.Errorf("someone else's order finds %q", got.RMANumber)
		}

		// An order that records no IMEI: the device given finds the
		// owner's claim, without its RMA number; nothing given finds
		// nothing.
		bare := e.bareOrder(t, "bare")
		got, found := open(bare, "ORD-bare", deviceIMEI)
		if !found || got.RMANumber != "" || got.Status != claim.Submitted {
			t.Errorf("another buyer's claim: %+v (found %v), want its status alone", got, found)
		}
		if got, found := open(bare, "ORD-bare", ""); found {
			t.Errorf("an order without a device finds %q", got.RMANumber)
		}

		// A cancelled claim is not open.
		_, err := e.svc.Cancel(e.ctx, e.buyer, c.RMANumber, "filed by mistake")
		must(t, err)
		if got, found := open(e.buyer, "ORD-DE", ""); found {
			t.Errorf("a cancelled claim is found open: %q", got.RMANumber)
		}
	})
}

// An order that records a serial number and no IMEI is looked up by it.
func TestOpenOnDeviceFallsBackToTheSerialNumber(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		putOrder(t, e.st, order.Order{Number: "ORD-TV", BuyerEmail: e.buyer.Email, Country: "DE", SerialNumber: "TV-12345",
			Category: "tv", Coverages: []coverage.Kind{coverage.ExtendedWarranty}, CompletedAt: &completed})
		v, err := e.svc.Submit(e.ctx, e.buyer, claim.Request{OrderNumber: "ORD-TV", Coverage: coverage.ExtendedWarranty,
			SerialNumber: "TV-12345", Description: "The picture flickers after an hour."})
		must(t, err)
		got, found, err := e.svc.OpenOnDevice(e.ctx, e.buyer, "ORD-TV", "")
		if err != nil || !found || got.RMANumber != v.Claim.RMANumber {
			t.Errorf("by the order's serial: %q (found %v), %v; want %s", got.RMANumber, found, err, v.Claim.RMANumber)
		}
	})
}

// A store that cannot answer is an error, never "no open claim".
func TestOpenOnDeviceReportsAStoreFailure(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.submit(t)
		ctx, cancel := context.WithCancel(e.ctx)
		cancel()
		if _, found, err := e.svc.OpenOnDevice(ctx, e.buyer, "ORD-DE", ""); err == nil || found {
			t.Errorf("cancelled: found %v, %v; want an error", found, err)
		}
	})
}

// CanSee lets a claim's own buyer, the technicians of its center, reps,
// admins and the system see it, and nobody else: another buyer, a
// technician of another center or of none, a seller.
func TestCanSeeOnlyWhoMay(t *testing.T) {
	c := claim.Claim{BuyerID: "B1", CenterCode: "BER"}
	for _, tc := range []struct {
		actor account.Actor
		want  bool
	}{
		{account.Actor{UserID: "B1", Role: account.Buyer}, true},
		{account.Actor{UserID: "B2", Role: account.Buyer}, false},
		{account.Actor{UserID: "T1", Role: account.Technician, CenterCode: "BER"}, true},
		{account.Actor{UserID: "T2", Role: account.Technician, CenterCode: "MAD"}, false},
		{account.Actor{UserID: "T3", Role: account.Technician}, false},
		{account.Actor{UserID: "R1", Role: account.Rep}, true},
		{account.Actor{UserID: "A1", Role: account.Admin}, true},
		{account.Actor{UserID: "system", Role: claim.System}, true},
		{account.Actor{UserID: "S1", Role: account.Seller}, false},
	} {
		if got := claim.CanSee(tc.actor, c); got != tc.want {
			t.Errorf("%s %s: %v, want %v", tc.actor.Role, tc.actor.UserID, got, tc.want)
		}
	}
	if claim.CanSee(account.Actor{Role: account.Technician}, claim.Claim{BuyerID: "B1"}) {
		t.Error("a technician of no center sees a claim of no center")
	}
}
