package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/dispute"
	"rma/internal/fault"
	"rma/internal/money"
	"rma/internal/promise"
	"rma/internal/refund"
	"rma/internal/seller"
	"rma/internal/store"
	"rma/internal/store/storetest"
	"rma/internal/webhook"
)

// TestDisputeLifecycleInTheStore: a dispute is written with its event,
// promise and notice; a second active dispute on the order is a duplicate;
// a transition moves the version and writes its refund; a stale one writes
// nothing; lists filter, order and page.
func TestDisputeLifecycleInTheStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := fixture(t, st)
		for i := range 2 {
			created, err := st.PutSeller(ctx, seller.Seller{Code: "SHOP", Name: "Shop", Email: "s@example.com", Language: "en"}, now)
			if err != nil || created != (i == 0) {
				t.Fatalf("put seller, time %d: created %v %v", i+1, created, err)
			}
		}
		if ok, err := st.SellerExists(ctx, "SHOP"); err != nil || !ok {
			t.Errorf("seller exists: %v %v", ok, err)
		}
		if ok, err := st.SellerExists(ctx, "NONE"); err != nil || ok {
			t.Errorf("unknown seller exists: %v %v", ok, err)
		}
		if err := st.PutEndpoint(ctx, webhook.Endpoint{Name: "all", URL: "https://h.example.com", Secret: "s", Events: []string{"*"}}, now); err != nil {
			t.Fatal(err)
		}
		before, _ := st.Deliveries(ctx, "", 100)

		due := now.Add(48 * time.Hour)
		d := dispute.Dispute{ID: ulid.Make().String(), Number: "D-1", Status: dispute.Open, OrderNumber: "O1", BuyerID: c.BuyerID,
			SellerCode: "SHOP", Country: "DE", Language: "en", Reason: dispute.Damaged, Description: "cracked",
			Remedy: dispute.FullRefund, Amount: money.Money{Minor: 1999, Currency: "EUR"}, SellerDueAt: &due,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		event := func(action dispute.Action, from, to dispute.Status, at time.Time) dispute.Event {
			return dispute.Event{ID: ulid.Make().String(), At: at, Action: action, From: from, To: to, ActorID: c.BuyerID,
				ActorRole: account.Buyer}
		}
		p := promise.Make(ulid.Make().String(), promise.Answer, now, due)
		open := dispute.Change{Dispute: d, Events: []dispute.Event{event("open", "", dispute.Open, now)},
			Promises: []promise.Promise{p},
			Notices:  []webhook.Event{webhook.NewEvent(webhook.DisputeUpdated, now, map[string]any{"dispute_number": d.Number})}}
		if err := st.CreateDispute(ctx, open); err != nil {
			t.Fatal(err)
		}
		if after, _ := st.Deliveries(ctx, "", 100); len(after) != len(before)+1 || after[0].Type != webhook.DisputeUpdated {
			t.Errorf("deliveries after opening: %d, was %d", len(after), len(before))
		}
		again := open
		again.Dispute.ID, again.Dispute.Number = ulid.Make().String(), "D-2"
		again.Events = []dispute.Event{event("open", "", dispute.Open, now)}
		again.Promises, again.Notices = nil, nil
		if err := st.CreateDispute(ctx, again); !errors.Is(err, fault.ErrDuplicate) {
			t.Errorf("a second active dispute on the order: %v", err)
		}

		// Unanswered: open and the seller's promise due before now.
		if got, err := st.UnansweredDisputes(ctx, due, 10); err != nil || len(got) != 0 {
			t.Errorf("unanswered at the due time: %v %v", got, err)
		}
		if got, err := st.UnansweredDisputes(ctx, due.Add(time.Second), 10); err != nil || !slices.Equal(got, []string{"D-1"}) {
			t.Errorf("unanswered after the due time: %v %v", got, err)
		}

		for i, at := range []time.Time{now.Add(2 * time.Minute), now.Add(time.Minute)} {
			m := dispute.Message{ID: ulid.Make().String(), At: at, ActorID: c.BuyerID, ActorRole: account.Buyer, Body: []string{"late", "early"}[i]}
			if err := st.AddDisputeMessage(ctx, d.ID, m); err != nil {
				t.Fatal(err)
			}
		}

		// A transition with a refund.
		next := d
		next.Status = dispute.Refunded
		r := refund.Refund{ID: ulid.Make().String(), OrderNumber: "O1", DisputeID: d.ID, Amount: d.Amount, Reason: string(d.Reason),
			Source: refund.FromDispute, Key: "dispute:" + d.ID, Status: refund.Pending, CreatedAt: now}
		refunded := dispute.Change{Dispute: next, Events: []dispute.Event{event("refund", dispute.Open, dispute.Refunded, now.Add(time.Hour))}, Refund: &r}
		if err := st.ApplyDispute(ctx, refunded); err != nil {
			t.Fatal(err)
		}
		// The same transition read at the old version is stale and writes nothing.
		stale := refunded
		r2 := r
		r2.ID, r2.Key = ulid.Make().String(), "dispute:other"
		stale.Refund, stale.Events = &r2, []dispute.Event{event("refund", dispute.Open, dispute.Refunded, now.Add(time.Hour))}
		if err := st.ApplyDispute(ctx, stale); !errors.Is(err, fault.ErrStale) {
			t.Errorf("a stale transition: %v", err)
		}

		v, err := st.DisputeView(ctx, "D-1")
		if err != nil {
			t.Fatal(err)
		}
		if v.Dispute.Status != dispute.Refunded || v.Dispute.Version != 2 || v.Dispute.Amount != d.Amount {
			t.Errorf("dispute read back: %+v", v.Dispute)
		}
		if len(v.Events) != 2 || v.Events[0].Action != "open" || v.Events[1].Action != "refund" {
			t.Errorf("events: %+v", v.Events)
		}
		if len(v.Messages) != 2 || v.Messages[0].Body != "early" || v.Messages[1].Body != "late" {
			t.Errorf("messages: %+v", v.Messages)
		}
		if len(v.Promises) != 1 || v.Promises[0].ID != p.ID {
			t.Errorf("promises: %+v", v.Promises)
		}
		if _, err := st.DisputeView(ctx, "D-9"); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("an unknown dispute: %v", err)
		}
		rs, err := st.Refunds(ctx, refund.Filter{OrderNumber: "O1", Limit: 10})
		if err != nil || len(rs) != 1 || rs[0].ID != r.ID || rs[0].Amount != r.Amount || rs[0].DisputeID != d.ID {
			t.Errorf("refunds of the order: %+v %v", rs, err)
		}
		if rs, err := st.Refunds(ctx, refund.Filter{BuyerEmail: "b@example.com", Limit: 10}); err != nil || len(rs) != 1 {
			t.Errorf("refunds of the buyer: %+v %v", rs, err)
		}
		if rs, err := st.Refunds(ctx, refund.Filter{BuyerEmail: "x@example.com", Limit: 10}); err != nil || len(rs) != 0 {
			t.Errorf("refunds of another buyer: %+v %v", rs, err)
		}
		if rs, err := st.Refunds(ctx, refund.Filter{OrderNumber: "O2", Limit: 10}); err != nil || len(rs) != 0 {
			t.Errorf("refunds of another order: %+v %v", rs, err)
		}

		// The order is free again: a newer dispute, with no seller promise.
		again.Dispute.SellerDueAt = nil
		if err := st.CreateDispute(ctx, again); err != nil {
			t.Fatal(err)
		}
		ids := func(ds []dispute.Dispute, err error) []string {
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, d := range ds {
				out = append(out, d.Number)
			}
			return out
		}
		for _, x := range []struct {
			f    dispute.Filter
			want []string
		}{
			{dispute.Filter{Limit: 10}, []string{"D-2", "D-1"}},
			{dispute.Filter{Limit: 1}, []string{"D-2"}},
			{dispute.Filter{After: again.Dispute.ID, Limit: 10}, []string{"D-1"}},
			{dispute.Filter{BySellerDue: true, Limit: 10}, []string{"D-1", "D-2"}},
			{dispute.Filter{Status: []dispute.Status{dispute.Open}, Limit: 10}, []string{"D-2"}},
			{dispute.Filter{BuyerID: c.BuyerID, SellerCode: "SHOP", Limit: 10}, []string{"D-2", "D-1"}},
			{dispute.Filter{BuyerID: "someone", Limit: 10}, nil},
			{dispute.Filter{SellerCode: "OTHER", Limit: 10}, nil},
		} {
			if got := ids(st.ListDisputes(ctx, x.f)); !slices.Equal(got, x.want) {
				t.Errorf("list %+v: %v, want %v", x.f, got, x.want)
			}
		}
	})
}
