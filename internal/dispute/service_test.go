package dispute_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/dispute"
	"rma/internal/fault"
	"rma/internal/money"
	"rma/internal/order"
	"rma/internal/promise"
	"rma/internal/refund"
	"rma/internal/seller"
	"rma/internal/sla"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// world is a dispute service on a real database: a seller, its account, a
// buyer in Germany with a 499.00 EUR order completed on Monday 2 November
// 2026, a rep, and a clock the test moves.
type world struct {
	t                         *testing.T
	st                        *store.Store
	svc                       *dispute.Service
	now                       time.Time
	buyer, other, seller, rep account.Actor
	completed                 time.Time
}

// Monday 2 November 2026, 10:00 in Berlin.
var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, st *store.Store) *world {
	ctx := context.Background()
	w := &world{t: t, st: st, now: start, completed: start}
	if _, err := st.PutSeller(ctx, seller.Seller{Code: "SHOP", Name: "Shop", Email: "shop@example.com", Language: "en",
		ReturnAddress: []string{"Return 1", "Berlin"}}, w.now); err != nil {
		t.Fatal(err)
	}
	mk := func(id, email string, role account.Role, sellerCode string) account.Actor {
		u := account.User{ID: id, Email: email, Name: string(role), PasswordHash: "x", Role: role, Language: "en",
			SellerCode: sellerCode, Status: account.Active, CreatedAt: w.now}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	w.buyer = mk("01JBUYER00000000000000000A", "buyer@example.com", account.Buyer, "")
	w.other = mk("01JBUYER00000000000000000B", "other@example.com", account.Buyer, "")
	w.seller = mk("01JSELLER0000000000000000A", "seller@example.com", account.Seller, "SHOP")
	w.rep = mk("01JREP0000000000000000000A", "rep@example.com", account.Rep, "")
	w.svc = dispute.NewService(st, sla.NewCalendars(), dispute.Settings{}, func() time.Time { return w.now })
	w.order("ORD-1")
	return w
}

func (w *world) order(number string) {
	o := order.Order{Number: number, BuyerEmail: "buyer@example.com", BuyerName: "B", ShippingAddress: []string{"a"},
		CompletedAt: &w.completed, Country: "DE", ProductName: "Phone", Category: "phone", SellerCode: "SHOP",
		Price: money.Money{Minor: 49900, Currency: "EUR"}}
	if _, err := w.st.PutOrder(context.Background(), o, w.now); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) open(number string, remedy dispute.Remedy, amount string) dispute.View {
	w.t.Helper()
	v, err := w.svc.Open(context.Background(), w.buyer, dispute.Request{OrderNumber: number, Reason: dispute.NotAsDescribed,
		Description: "the screen is smaller than described", Remedy: remedy, Amount: amount})
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func (w *world) act(who account.Actor, v dispute.View, a dispute.Action, in dispute.Input) dispute.View {
	w.t.Helper()
	out, err := w.svc.Act(context.Background(), who, v.Dispute.Number, a, in)
	if err != nil {
		w.t.Fatalf("%s by %s: %v", a, who.Role, err)
	}
	return out
}

func promiseState(v dispute.View, k promise.Kind) promise.State {
	if i := promise.Find(v.Promises, k); i >= 0 {
		return v.Promises[i].State
	}
	return ""
}

// TestOfferDeclineEscalateDecide walks the browser test's story through the
// service: partial refund offered, declined, escalated, decided in full;
// the refund row is written with the decision, exactly 499.00 EUR.
func TestOfferDeclineEscalateDecide(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ctx := context.Background()
		v := w.open("ORD-1", dispute.FullRefund, "")
		// Monday 10:00 + 3 working days: end of Thursday in Berlin.
		if want := time.Date(2026, 11, 5, 22, 59, 59, 0, time.UTC); !v.Dispute.SellerDueAt.Equal(want) {
			t.Errorf("seller due %v, want %v", v.Dispute.SellerDueAt, want)
		}
		if _, err := w.svc.Open(ctx, w.buyer, dispute.Request{OrderNumber: "ORD-1", Reason: dispute.Damaged,
			Description: "again", Remedy: dispute.FullRefund}); !errors.Is(err, dispute.ErrOpen) {
			t.Fatalf("second open dispute: %v", err)
		}
		if _, err := w.svc.Get(ctx, w.other, v.Dispute.Number); !errors.Is(err, dispute.ErrNotFound) {
			t.Fatalf("another buyer sees it: %v", err)
		}
		if _, err := w.svc.Act(ctx, w.seller, v.Dispute.Number, dispute.Offer,
			dispute.Input{Remedy: dispute.PartialRefund, Amount: "500.00"}); !fault.Is(err, fault.Invalid) {
			t.Fatalf("offer above the price: %v", err)
		}
		w.now = w.now.Add(time.Hour)
		v = w.act(w.seller, v, dispute.Offer, dispute.Input{Remedy: dispute.PartialRefund, Amount: "12.30"})
		if v.Dispute.Status != dispute.Offered || v.Dispute.OfferAmount.Amount() != "12.30" ||
			promiseState(v, promise.SellerResponse) != promise.Kept {
			t.Fatalf("offer: %+v %v", v.Dispute, v.Promises)
		}
		v = w.act(w.buyer, v, dispute.Decline, dispute.Input{})
		if v.Dispute.Status != dispute.Open || promiseState(v, promise.SellerResponse) != promise.Open {
			t.Fatalf("decline: %+v", v.Dispute)
		}
		v = w.act(w.seller, v, dispute.Offer, dispute.Input{Remedy: dispute.PartialRefund, Amount: "12.30"})
		if _, err := w.svc.Act(ctx, w.seller, v.Dispute.Number, dispute.DecideRefund,
			dispute.Input{Remedy: dispute.FullRefund}); !errors.Is(err, dispute.ErrForbidden) {
			t.Fatalf("seller decides: %v", err)
		}
		v = w.act(w.buyer, v, dispute.Escalate, dispute.Input{Note: "not enough"})
		if v.Dispute.Status != dispute.Escalated || promiseState(v, promise.DisputeDecision) != promise.Open {
			t.Fatalf("escalate: %+v", v.Dispute)
		}
		v = w.act(w.rep, v, dispute.DecideRefund, dispute.Input{Remedy: dispute.FullRefund, Note: "not as described"})
		if v.Dispute.Status != dispute.Refunded || promiseState(v, promise.DisputeDecision) != promise.Kept {
			t.Fatalf("decide: %+v", v.Dispute)
		}
		rs, err := st.Refunds(ctx, refund.Filter{OrderNumber: "ORD-1", Limit: 10})
		if err != nil || len(rs) != 1 || rs[0].Amount.Amount() != "499.00" || rs[0].Source != refund.FromDispute ||
			rs[0].Status != refund.Pending {
			t.Fatalf("refunds %+v %v", rs, err)
		}
		got, err := w.svc.Get(ctx, w.seller, v.Dispute.Number)
		if err != nil || len(got.Events) != 7 || got.Dispute.Version != v.Dispute.Version {
			t.Fatalf("stored view: %d events, %+v, %v", len(got.Events), got.Dispute, err)
		}
		// The order is free for a new dispute once this one ended.
		w.open("ORD-1", dispute.PartialRefund, "12.30")
	})
}

// TestUnansweredDisputeEscalatesOnceOnItsDay: nothing happens on the
// seller's last working day; after it, two workers racing escalate the
// dispute exactly once, the seller's promise broken and the rep's made.
func TestUnansweredDisputeEscalatesOnceOnItsDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ctx := context.Background()
		v := w.open("ORD-1", dispute.ReturnAndRefund, "")
		w.now = time.Date(2026, 11, 5, 22, 59, 0, 0, time.UTC) // Thursday 23:59 in Berlin
		if n, err := w.svc.EscalateUnanswered(ctx); err != nil || n != 0 {
			t.Fatalf("on the last day: %d %v", n, err)
		}
		w.now = time.Date(2026, 11, 5, 23, 0, 0, 0, time.UTC) // Friday 00:00
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i := range counts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := w.svc.EscalateUnanswered(ctx)
				if err != nil {
					t.Error(err)
				}
				counts[i] = n
			}()
		}
		wg.Wait()
		if counts[0]+counts[1] != 1 {
			t.Fatalf("escalated %v times", counts)
		}
		got, err := w.svc.Get(ctx, w.rep, v.Dispute.Number)
		if err != nil || got.Dispute.Status != dispute.Escalated {
			t.Fatalf("after: %+v %v", got.Dispute, err)
		}
		if promiseState(got, promise.SellerResponse) != promise.Broken || promiseState(got, promise.DisputeDecision) != promise.Open {
			t.Fatalf("promises %+v", got.Promises)
		}
		escalations := 0
		for _, e := range got.Events {
			if e.Action == dispute.AutoEscalate {
				escalations++
				if e.ActorRole != dispute.System {
					t.Errorf("escalated by %s", e.ActorRole)
				}
			}
		}
		if escalations != 1 {
			t.Fatalf("%d escalation events", escalations)
		}
		if n, err := w.svc.EscalateUnanswered(ctx); err != nil || n != 0 {
			t.Fatalf("again: %d %v", n, err)
		}
	})
}

// TestOpenRefusalsLeaveNothing: outside the window, a foreign order and bad
// amounts are refused and write no dispute.
func TestOpenRefusalsLeaveNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		ctx := context.Background()
		req := dispute.Request{OrderNumber: "ORD-1", Reason: dispute.Damaged, Description: "cracked", Remedy: dispute.FullRefund}
		if _, err := w.svc.Open(ctx, w.other, req); !fault.Is(err, fault.Invalid) {
			t.Fatalf("foreign order: %v", err)
		}
		if _, err := w.svc.Open(ctx, w.seller, req); !errors.Is(err, dispute.ErrForbidden) {
			t.Fatalf("seller opens: %v", err)
		}
		bad := req
		bad.Remedy, bad.Amount = dispute.PartialRefund, "12.301"
		if _, err := w.svc.Open(ctx, w.buyer, bad); !fault.Is(err, fault.Invalid) {
			t.Fatalf("three decimals: %v", err)
		}
		w.now = time.Date(2026, 11, 17, 22, 59, 0, 0, time.UTC) // 17 Nov 23:59 Berlin: day 15
		w.now = w.now.Add(time.Minute)
		err := func() error { _, err := w.svc.Open(ctx, w.buyer, req); return err }()
		if fe, ok := fault.As(err); !ok || fe.Reason != dispute.ReasonWindowClosed {
			t.Fatalf("after the window: %v", err)
		}
		ds, err := w.svc.List(ctx, w.rep, dispute.Filter{})
		if err != nil || len(ds) != 0 {
			t.Fatalf("refusals wrote %d disputes: %v", len(ds), err)
		}
		w.now = w.now.Add(-time.Minute)
		w.open("ORD-1", dispute.FullRefund, "")
		if ds, _ = w.svc.List(ctx, w.seller, dispute.Filter{}); len(ds) != 1 {
			t.Fatalf("the seller sees %d", len(ds))
		}
		if ds, _ = w.svc.List(ctx, w.other, dispute.Filter{}); len(ds) != 0 {
			t.Fatalf("another buyer sees %d", len(ds))
		}
	})
}
