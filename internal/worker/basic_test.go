package worker_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"rma/internal/dispute"
	"rma/internal/money"
	"rma/internal/order"
	"rma/internal/refund"
	"rma/internal/seller"
	"rma/internal/webhook"
)

// TestTheSweepRunsBasicProtection: the periodic sweep escalates a dispute
// once its seller's time to answer has run out (not before), owes the
// late-delivery compensation of an order still undelivered past its
// promised date and grace (not within the grace), and posts the due webhook deliveries.
func TestTheSweepRunsBasicProtection(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		now := e.clock.Now()
		var posts atomic.Int32
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			posts.Add(1)
			w.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(hook.Close)
		if _, err := e.app.Webhooks.Put(ctx, webhook.Endpoint{Name: "shop", URL: hook.URL, Secret: "a-long-enough-secret-1234",
			Events: []string{"*"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.st.PutSeller(ctx, seller.Seller{Code: "SHOP", Name: "Shop", Email: "shop@example.com", Language: "en",
			ReturnAddress: []string{"Return 1", "Berlin"}}, now); err != nil {
			t.Fatal(err)
		}
		promised := now.AddDate(0, 0, -1) // within the 3 days' grace

		for _, o := range []order.Order{
			{Number: "DISP-1", CompletedAt: &now},
			{Number: "LOST-1", PromisedDeliveryAt: &promised},
		} {
			o.BuyerEmail, o.BuyerName, o.ShippingAddress, o.Country = "buyer@example.com", "B", []string{"a"}, "DE"
			o.ProductName, o.Category, o.SellerCode = "Phone", "phone", "SHOP"
			o.Price = money.Money{Minor: 49900, Currency: "EUR"}
			if _, _, err := e.app.Orders.Put(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		v, err := e.app.Disputes.Open(ctx, e.actor("buyer@example.com"), dispute.Request{OrderNumber: "DISP-1",
			Reason: dispute.NotAsDescribed, Description: "the screen is smaller than described", Remedy: dispute.ReturnAndRefund})
		if err != nil {
			t.Fatal(err)
		}
		status := func() dispute.Status {
			got, err := e.app.Disputes.Get(ctx, e.actor("rep@example.com"), v.Dispute.Number)
			if err != nil {
				t.Fatal(err)
			}
			return got.Dispute.Status
		}

		if _, err := e.app.Runner.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if s := status(); s == dispute.Escalated {
			t.Fatal("escalated while the seller still had time to answer")
		}
		owed := func() []refund.Refund {
			rs, err := e.st.Refunds(ctx, refund.Filter{OrderNumber: "LOST-1", Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return rs
		}
		if rs := owed(); len(rs) != 0 {
			t.Errorf("compensation owed within the grace: %+v", rs)
		}
		if posts.Load() == 0 {
			t.Error("the sweep posted no due webhook delivery")
		}

		e.clock.Set(now.AddDate(0, 0, 14))
		if _, err := e.app.Runner.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if s := status(); s != dispute.Escalated {
			t.Errorf("after the seller's time ran out: %s, want escalated", s)
		}
		if rs := owed(); len(rs) != 1 || rs[0].Source != refund.FromLateDelivery {
			t.Errorf("late-delivery compensation after the grace: %+v", rs)
		}
	})
}
