package claim_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/imei"
	"rma/internal/order"
	"rma/internal/promise"
	"rma/internal/sla"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// ledgerWorld is a claim service on a real database with one center (Berlin,
// German holidays), a buyer, a rep and a technician, on a clock the test
// moves.
type ledgerWorld struct {
	t                *testing.T
	st               *store.Store
	svc              *claim.Service
	now              time.Time
	buyer, rep, tech account.Actor
	orders           int
}

// Monday 2 November 2026, 10:00 in Berlin: no holiday within two weeks.
var ledgerStart = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newLedgerWorld(t *testing.T, st *store.Store) *ledgerWorld {
	w := &ledgerWorld{t: t, st: st, now: ledgerStart}
	ctx := context.Background()
	if _, err := st.PutCenter(ctx, center.Center{Code: "BER", Name: "Berlin", Country: "DE", TimeZone: "Europe/Berlin",
		Address: []string{"Storkower Str. 140", "10407 Berlin"}, Serves: []string{"DE"}}, w.now); err != nil {
		t.Fatal(err)
	}
	mk := func(id, email string, role account.Role, ctr string) account.Actor {
		u := account.User{ID: id, Email: email, Name: string(role), PasswordHash: "x", Role: role, Language: "en",
			CenterCode: ctr, Status: account.Active, CreatedAt: w.now}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	w.buyer = mk("01JBUYER00000000000000000A", "buyer@example.com", account.Buyer, "")
	w.rep = mk("01JREP0000000000000000000A", "rep@example.com", account.Rep, "")
	w.tech = mk("01JTECH000000000000000000A", "tech@example.com", account.Technician, "BER")
	w.svc = claim.NewService(st, coverage.NewPolicy(coverage.Settings{}), sla.NewCalendars(),
		claim.Settings{ReviewDays: 5, ShipByDays: 30, ReturnDays: 15}, func() time.Time { return w.now })
	return w
}

// file files a phone claim on a new order and returns its RMA number.
func (w *ledgerWorld) file() string {
	w.t.Helper()
	w.orders++
	completed := w.now.AddDate(0, -1, 0)
	dev := imei.WithCheckDigit(fmt.Sprintf("35209811%06d", w.orders))
	o := order.Order{Number: fmt.Sprintf("ORD-L%d", w.orders), BuyerEmail: w.buyer.Email, BuyerName: "Bea",
		ShippingAddress: []string{"Kastanienallee 12", "10435 Berlin"}, CompletedAt: &completed, Country: "DE",
		ProductName: "Pixel 9", Category: order.CategoryPhone, IMEI: dev,
		Coverages: []coverage.Kind{coverage.ExtendedWarranty}}
	if _, err := w.st.PutOrder(context.Background(), o, w.now); err != nil {
		w.t.Fatal(err)
	}
	v, err := w.svc.Submit(context.Background(), w.buyer, claim.Request{OrderNumber: o.Number,
		Coverage: coverage.ExtendedWarranty, IMEI: dev, Description: "It no longer charges at all."})
	if err != nil {
		w.t.Fatal(err)
	}
	return v.Claim.RMANumber
}

func (w *ledgerWorld) must(_ claim.View, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *ledgerWorld) promises(rma string) []promise.Promise {
	w.t.Helper()
	v, err := w.svc.Get(context.Background(), w.rep, rma)
	if err != nil {
		w.t.Fatal(err)
	}
	return v.Claim.Promises
}

// end says how a promise ended, in a form a table can hold.
type end struct {
	kind    promise.Kind
	state   promise.State
	pauses  int
	settled bool
}

// TestLedgerRowsEndExactlyRight follows claims through the paths that make,
// pause, keep, break and void promises, and reads the ledger back from the
// database.
func TestLedgerRowsEndExactlyRight(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		cases := []struct {
			name string
			run  func(w *ledgerWorld, rma string)
			want []end
		}{
			{"answered in time", func(w *ledgerWorld, rma string) {
				w.now = w.now.Add(24 * time.Hour)
				w.must(w.svc.Approve(ctx, w.rep, rma, ""))
			}, []end{{promise.Answer, promise.Kept, 0, true}, {promise.ShipBy, promise.Open, 0, false}}},
			{"answered late", func(w *ledgerWorld, rma string) {
				w.now = w.now.AddDate(0, 0, 10)
				w.must(w.svc.Reject(ctx, w.rep, rma, "not_covered", ""))
			}, []end{{promise.Answer, promise.Broken, 0, true}}},
			{"paused by a question, answered, then approved", func(w *ledgerWorld, rma string) {
				w.must(w.svc.RequestInfo(ctx, w.rep, rma, "Which cable do you use?"))
				w.now = w.now.AddDate(0, 0, 8) // the buyer takes long: the clock stands still
				w.must(w.svc.Answer(ctx, w.buyer, rma, "The one in the box."))
				w.now = w.now.Add(24 * time.Hour)
				w.must(w.svc.Approve(ctx, w.rep, rma, ""))
			}, []end{{promise.Answer, promise.Kept, 1, true}, {promise.ShipBy, promise.Open, 0, false}}},
			{"abandoned while waiting on the buyer", func(w *ledgerWorld, rma string) {
				w.must(w.svc.RequestInfo(ctx, w.rep, rma, "Which cable do you use?"))
				w.now = w.now.AddDate(0, 0, 14)
				w.must(w.svc.Abandon(ctx, rma))
			}, []end{{promise.Answer, promise.Void, 1, true}}},
			{"cancelled after approval", func(w *ledgerWorld, rma string) {
				w.must(w.svc.Approve(ctx, w.rep, rma, ""))
				w.must(w.svc.Cancel(ctx, w.buyer, rma, ""))
			}, []end{{promise.Answer, promise.Kept, 0, true}, {promise.ShipBy, promise.Void, 0, true}}},
			{"received, repaired and shipped back", func(w *ledgerWorld, rma string) {
				w.must(w.svc.Approve(ctx, w.rep, rma, ""))
				_, _, err := w.svc.Receive(ctx, w.tech, rma, "")
				w.must(claim.View{}, err)
				w.must(w.svc.Decide(ctx, w.tech, rma, claim.Diagnosis{Findings: "Port", Decision: claim.DecisionRepair}))
				w.must(w.svc.MarkReady(ctx, w.tech, rma, ""))
				w.now = w.now.AddDate(0, 0, 3)
				w.must(w.svc.ShipBack(ctx, w.tech, rma, "DHL", "00340434161234567890"))
			}, []end{{promise.Answer, promise.Kept, 0, true}, {promise.ShipBy, promise.Kept, 0, true},
				{promise.Return, promise.Kept, 0, true}}},
		}
		w := newLedgerWorld(t, st)
		for _, tc := range cases {
			w.now = ledgerStart
			rma := w.file()
			tc.run(w, rma)
			got := w.promises(rma)
			if len(got) != len(tc.want) {
				t.Errorf("%s: %d promises %+v, want %d", tc.name, len(got), got, len(tc.want))
				continue
			}
			for i, want := range tc.want {
				p := got[i]
				if p.Kind != want.kind || p.State != want.state || len(p.Pauses) != want.pauses || (p.SettledAt != nil) != want.settled {
					t.Errorf("%s: promise %d is %s %s with %d pauses, settled %v; want %+v", tc.name, i, p.Kind, p.State,
						len(p.Pauses), p.SettledAt != nil, want)
				}
				for _, ps := range p.Pauses {
					if ps.Reason != promise.ReasonQuestion || ps.To == nil {
						t.Errorf("%s: pause %+v, want a closed question pause", tc.name, ps)
					}
				}
			}
		}
	})
}

// TestQuestionPausesTheAnswerPromise checks the due date after a question:
// the working days left when it was asked are counted again from the
// answer.
func TestQuestionPausesTheAnswerPromise(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newLedgerWorld(t, st)
		rma := w.file() // Monday: due at the end of Monday 9 November (5 working days)
		w.now = w.now.Add(24 * time.Hour)
		w.must(w.svc.RequestInfo(ctx, w.rep, rma, "Which cable?")) // Tuesday: 4 working days left
		w.now = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)      // answered the next Monday
		w.must(w.svc.Answer(ctx, w.buyer, rma, "The one in the box."))
		p := w.promises(rma)[0]
		berlin, _ := time.LoadLocation("Europe/Berlin")
		want := time.Date(2026, 11, 20, 23, 59, 59, 0, berlin) // Friday: four working days after Monday
		if p.State != promise.Open || p.Paused() || !sameDay(p.DueAt.In(berlin), want) {
			t.Errorf("after the answer: %s, paused %v, due %s; want open and due %s", p.State, p.Paused(), p.DueAt.In(berlin), want)
		}
	})
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// TestComplianceCountsOpenOverduePromises: one answer in time, one late and
// one not given past its due time are 1 kept, 1 broken and 1 open overdue:
// a third, not 100%.
func TestComplianceCountsOpenOverduePromises(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newLedgerWorld(t, st)
		onTime, late, open := w.file(), w.file(), w.file()
		w.now = w.now.Add(24 * time.Hour)
		w.must(w.svc.Approve(ctx, w.rep, onTime, ""))
		w.now = ledgerStart.AddDate(0, 0, 10)
		w.must(w.svc.Approve(ctx, w.rep, late, ""))
		_ = open
		tallies, err := st.PromiseTally(ctx, promise.Filter{From: ledgerStart, To: ledgerStart.AddDate(0, 1, 0)}, w.now)
		if err != nil {
			t.Fatal(err)
		}
		var answer promise.Tally
		for _, tl := range tallies {
			if tl.Kind == promise.Answer {
				answer = tl
			}
		}
		if answer.Kept != 1 || answer.Broken != 1 || answer.OpenOverdue != 1 || answer.Open != 1 {
			t.Fatalf("answer promises: %+v, want 1 kept, 1 broken, 1 open and overdue", answer)
		}
		if share, ok := answer.Compliance(); !ok || share > 0.34 || share < 0.33 {
			t.Errorf("compliance %v, want one third", share)
		}
		// filters: another center's claims, another language, another country count nothing
		for _, f := range []promise.Filter{{Center: "MAD"}, {Language: "es"}, {Country: "ES"}} {
			f.From, f.To = ledgerStart, ledgerStart.AddDate(0, 1, 0)
			ts, err := st.PromiseTally(ctx, f, w.now)
			if err != nil {
				t.Fatal(err)
			}
			for _, tl := range ts {
				if tl.Kept+tl.Broken+tl.Open+tl.Void != 0 {
					t.Errorf("filter %+v counted %+v", f, tl)
				}
			}
		}
	})
}

// TestBreachIsNoticedOnce races eight noticers over one overdue promise:
// one of them marks it broken and schedules the apology; the others find it
// done. A promise not yet due, or kept, is never marked.
func TestBreachIsNoticedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newLedgerWorld(t, st)
		rma, kept := w.file(), w.file()
		w.must(w.svc.Approve(ctx, w.rep, kept, ""))
		if did, err := w.svc.NoticeBreach(ctx, rma, promise.Answer); did || err != nil {
			t.Fatalf("a promise not yet due was noticed: %v %v", did, err)
		}
		w.now = ledgerStart.AddDate(0, 0, 8)
		var wg sync.WaitGroup
		var mu sync.Mutex
		noticed := 0
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				did, err := w.svc.NoticeBreach(ctx, rma, promise.Answer)
				if err != nil {
					t.Error(err)
				}
				if did {
					mu.Lock()
					noticed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if noticed != 1 {
			t.Errorf("the breach was noticed %d times, want once", noticed)
		}
		p := w.promises(rma)[0]
		if p.State != promise.Broken || p.BrokenAt == nil || !p.BrokenAt.Equal(w.now) {
			t.Errorf("promise after the breach: %+v", p)
		}
		if did, _ := w.svc.NoticeBreach(ctx, kept, promise.Answer); did {
			t.Error("a kept promise was noticed as broken")
		}
		jobs, err := st.DueJobs(ctx, w.now.Add(time.Minute), w.now.Add(time.Minute), nil, 100)
		if err != nil {
			t.Fatal(err)
		}
		apologies := 0
		for _, j := range jobs {
			if j.Kind == claim.JobApologyAnswer {
				apologies++
			}
		}
		if apologies != 1 {
			t.Errorf("%d apology jobs, want 1", apologies)
		}
	})
}

// TestNonPhoneClaimsBySerialNumber: a laptop is claimed under the extended
// warranty by its serial number (the one on the order), not by an IMEI; its
// accidental-damage claim is refused; the serial number is the device's
// identifier for "one open claim per device".
func TestNonPhoneClaimsBySerialNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newLedgerWorld(t, st)
		completed := w.now.AddDate(0, -3, 0)
		o := order.Order{Number: "ORD-LAPTOP", BuyerEmail: w.buyer.Email, BuyerName: "Bea",
			ShippingAddress: []string{"Kastanienallee 12", "10435 Berlin"}, CompletedAt: &completed, Country: "DE",
			ProductName: "ThinkPad X1 Carbon", Category: "laptop", SerialNumber: "PF3K2L9X",
			Coverages: []coverage.Kind{coverage.ExtendedWarranty, coverage.AccidentalDamage}}
		if _, err := st.PutOrder(ctx, o, w.now); err != nil {
			t.Fatal(err)
		}
		req := claim.Request{OrderNumber: o.Number, Coverage: coverage.ExtendedWarranty,
			Description: "The keyboard stopped working."}
		for serial, reason := range map[string]string{"": "serial_required", "X": "serial_invalid",
			"PF3K2L9Y": "serial_not_on_order"} {
			r := req
			r.SerialNumber = serial
			_, err := w.svc.Submit(ctx, w.buyer, r)
			if fe := fieldReason(err, "serial_number"); fe != reason {
				t.Errorf("serial %q: %v, want %s", serial, err, reason)
			}
		}
		ad := req
		ad.Coverage, ad.SerialNumber, ad.IncidentDate = coverage.AccidentalDamage, "PF3K2L9X", &completed
		if _, err := w.svc.Submit(ctx, w.buyer, ad); fieldReason(err, "coverage") != "coverage_phones_only" {
			t.Errorf("accidental damage on a laptop: %v", err)
		}
		req.SerialNumber = " pf3k 2l9x "
		v, err := w.svc.Submit(ctx, w.buyer, req)
		if err != nil {
			t.Fatal(err)
		}
		if v.Claim.SerialNumber != "PF3K2L9X" || v.Claim.IMEI != "" || v.Claim.ProductName != "ThinkPad X1 Carbon" {
			t.Errorf("claim device %q/%q product %q", v.Claim.SerialNumber, v.Claim.IMEI, v.Claim.ProductName)
		}
		if _, err := w.svc.Submit(ctx, w.buyer, req); fieldReason(err, "serial_number") != "device_has_open_claim" {
			t.Errorf("a second open claim on the laptop: %v", err)
		}
	})
}

// fieldReason returns the reason code err gives for field ("" for none).
func fieldReason(err error, field string) string {
	fe, ok := fault.As(err)
	if !ok {
		return ""
	}
	return fe.Fields[field]
}

// TestActivationLockHoldsTheReturnPromise: while the device's activation
// lock is on, the return promise stands still; when it is off, the return
// date has moved by exactly the time it was held.
func TestActivationLockHoldsTheReturnPromise(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newLedgerWorld(t, st)
		rma := w.file()
		w.must(w.svc.Approve(ctx, w.rep, rma, ""))
		v, _, err := w.svc.Receive(ctx, w.tech, rma, "")
		if err != nil {
			t.Fatal(err)
		}
		due := *v.Claim.ReturnDueAt
		w.now = w.now.Add(24 * time.Hour)
		if err := w.svc.HoldReturn(ctx, rma, true); err != nil {
			t.Fatal(err)
		}
		w.now = w.now.AddDate(0, 0, 20) // held past the original return date: not overdue
		p, _ := claimPromise(t, w, rma)
		if !p.Paused() || p.Overdue(w.now) {
			t.Fatalf("held promise: paused %v, overdue %v", p.Paused(), p.Overdue(w.now))
		}
		if err := w.svc.HoldReturn(ctx, rma, false); err != nil {
			t.Fatal(err)
		}
		p, c := claimPromise(t, w, rma)
		want := due.AddDate(0, 0, 20)
		if !p.DueAt.Equal(want) || !c.ReturnDueAt.Equal(want) || p.Paused() || len(p.Pauses) != 1 ||
			p.Pauses[0].Reason != promise.ReasonActivationLock {
			t.Errorf("after the lock: due %s (claim %s), want %s; pauses %+v", p.DueAt, c.ReturnDueAt, want, p.Pauses)
		}
	})
}

func claimPromise(t *testing.T, w *ledgerWorld, rma string) (promise.Promise, claim.Claim) {
	t.Helper()
	v, err := w.svc.Get(context.Background(), w.rep, rma)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := v.Claim.Promise(promise.Return)
	return p, v.Claim
}
