package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/webhook"
)

// withSellers adds two sellers, an account for each, and an order of the
// first seller's (499.00 EUR, completed two days ago) for buyer@example.com.
func withSellers(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	for _, code := range []string{"SHOP", "OTHER"} {
		h.must(h.do("PUT", "/api/v1/sellers/"+code, "admin", map[string]any{"name": code, "email": code + "@example.com",
			"return_address": []string{"Return 1", "Berlin"}}), 200)
		email := "seller." + code + "@example.com"
		if _, err := h.app.Accounts.Create(ctx, account.NewUser{Email: email, Name: "Seller", Password: password,
			Role: account.Seller, SellerCode: code}); err != nil {
			t.Fatal(err)
		}
		s, err := h.app.Accounts.Login(ctx, email, password)
		if err != nil {
			t.Fatal(err)
		}
		h.tokens["seller."+code] = s.Token
	}
	h.must(h.do("PUT", "/api/v1/orders/ORD-S1", "admin", map[string]any{"buyer_email": "buyer@example.com",
		"buyer_name": "B", "shipping_address": []string{"a"}, "completed_at": start.AddDate(0, 0, -2).Format("2006-01-02T15:04:05Z"),
		"country": "DE", "product_name": "Tablet", "category": "tablet", "seller": "SHOP",
		"price": map[string]any{"amount": "499.00", "currency": "EUR"}}), 200)
}

// TestDisputeThroughTheAPI: the buyer opens a dispute, the seller offers a
// partial refund, the buyer declines and escalates, a rep decides a full
// refund, and the refund is in the ledger for the buyer and the admin.
// Strangers get 404, wrong roles 403, wrong states 409.
func TestDisputeThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		open := map[string]any{"order_number": "ORD-S1", "reason": "not_as_described", "description": "smaller screen",
			"remedy": "partial_refund", "amount": "12.301"}
		r := h.must(h.do("POST", "/api/v1/disputes", "buyer", open), 422)
		if r.reason("amount") != "amount_too_precise" || r.field("amount") == "" {
			t.Errorf("three decimals: %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/disputes", "seller.SHOP", open), 403)
		open["amount"] = "12.30"
		r = h.must(h.do("POST", "/api/v1/disputes", "other", open), 422) // not their order
		open["remedy"], open["amount"] = "full_refund", ""
		r = h.must(h.do("POST", "/api/v1/disputes", "buyer", open), 201)
		n := r.str("dispute_number")
		if r.str("status") != "open" || r.str("seller_due_at") == "" || n == "" {
			t.Fatalf("opened %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/disputes", "buyer", open), 409)
		h.must(h.do("GET", "/api/v1/disputes/"+n, "other", nil), 404)
		h.must(h.do("GET", "/api/v1/disputes/"+n, "seller.OTHER", nil), 404)
		h.must(h.do("POST", "/api/v1/disputes/"+n+"/offer", "seller.OTHER", map[string]any{"remedy": "partial_refund",
			"amount": "10.00"}), 404)
		h.must(h.do("GET", "/api/v1/disputes/"+n, "tech", nil), 403)

		r = h.must(h.do("POST", "/api/v1/disputes/"+n+"/offer", "seller.SHOP", map[string]any{"remedy": "partial_refund",
			"amount": "12.30"}), 200)
		offer, _ := r.Body["offer"].(map[string]any)
		amount, _ := offer["amount"].(map[string]any)
		if r.str("status") != "offered" || amount["amount"] != "12.30" {
			t.Fatalf("offer %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/disputes/"+n+"/messages", "buyer", map[string]any{"body": "Too little."}), 201)
		h.must(h.do("POST", "/api/v1/disputes/"+n+"/decline", "buyer", nil), 200)
		h.must(h.do("POST", "/api/v1/disputes/"+n+"/escalate", "buyer", map[string]any{"note": "no"}), 409) // open: the seller's turn
		h.must(h.do("POST", "/api/v1/disputes/"+n+"/refuse", "seller.SHOP", map[string]any{}), 422)         // reasons needed
		h.must(h.do("POST", "/api/v1/disputes/"+n+"/refuse", "seller.SHOP", map[string]any{"note": "as described"}), 200)
		h.must(h.do("POST", "/api/v1/disputes/"+n+"/escalate", "buyer", map[string]any{"note": "it is not"}), 200)
		var mu sync.Mutex
		var got []string
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			if err := webhook.Verify(r.Header.Get("RMA-Signature"), "marketplace-secret-1", body, h.clock.Now(),
				time.Minute); err != nil {
				t.Errorf("signature: %v", err)
			}
			got = append(got, string(body))
		}))
		defer hook.Close()
		h.must(h.do("PUT", "/api/v1/webhooks/marketplace", "rep", map[string]any{}), 403)
		r = h.must(h.do("PUT", "/api/v1/webhooks/marketplace", "admin", map[string]any{"url": "ftp://x", "secret": "short",
			"events": []string{"claim.eaten"}}), 422)
		if r.field("url") == "" || r.field("secret") == "" || r.field("events") == "" {
			t.Errorf("webhook fields %s", r.Raw)
		}
		h.must(h.do("PUT", "/api/v1/webhooks/marketplace", "admin", map[string]any{"url": hook.URL,
			"secret": "marketplace-secret-1", "events": []string{"refund.created"}}), 200)
		h.must(h.do("POST", "/api/v1/disputes/"+n+"/decide", "seller.SHOP", map[string]any{"outcome": "rejected"}), 403)
		r = h.must(h.do("POST", "/api/v1/disputes/"+n+"/decide", "rep", map[string]any{"outcome": "bribe"}), 422)
		r = h.must(h.do("POST", "/api/v1/disputes/"+n+"/decide", "rep", map[string]any{"outcome": "full_refund",
			"note": "screen size differs"}), 200)
		if r.str("status") != "refunded" {
			t.Fatalf("decided %s", r.Raw)
		}
		r = h.must(h.do("GET", "/api/v1/disputes/"+n, "seller.SHOP", nil), 200)
		if r.str("updated_at") != start.Format("2006-01-02T15:04:05Z") {
			t.Errorf("updated_at off the clock: %s", r.str("updated_at"))
		}
		if msgs, _ := r.Body["messages"].([]any); len(msgs) != 1 {
			t.Errorf("messages %s", r.Raw)
		}
		if ps, _ := r.Body["promises"].([]any); len(ps) != 3 { // the seller's answer, again after the decline, the rep's decision
			t.Errorf("promises %s", r.Raw)
		}
		if _, err := h.app.Runner.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		if len(got) != 1 || !strings.Contains(got[0], `"type":"refund.created"`) || !strings.Contains(got[0], `"amount":"499.00"`) {
			t.Errorf("the marketplace got %q", got)
		}
		mu.Unlock()
		r = h.must(h.do("GET", "/api/v1/admin/webhook-deliveries", "admin", nil), 200)
		if items, _ := r.Body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["status"] != "delivered" {
			t.Errorf("deliveries %s", r.Raw)
		}
		h.must(h.do("GET", "/api/v1/admin/webhook-deliveries", "rep", nil), 403)
		h.must(h.do("POST", "/api/v1/admin/webhook-deliveries/01JNOSUCHDELIVERY000000000/replay", "admin", nil), 404)
		for _, who := range []string{"buyer", "admin"} {
			r = h.must(h.do("GET", "/api/v1/refunds?order_number=ORD-S1", who, nil), 200)
			items, _ := r.Body["items"].([]any)
			if len(items) != 1 {
				t.Fatalf("%s sees refunds %s", who, r.Raw)
			}
			if it := items[0].(map[string]any); it["amount"] != "499.00" || it["currency"] != "EUR" || it["status"] != "pending" ||
				it["source"] != "dispute" {
				t.Errorf("refund %v", it)
			}
		}
		r = h.must(h.do("GET", "/api/v1/refunds?order_number=ORD-S1", "other", nil), 200)
		if items, _ := r.Body["items"].([]any); len(items) != 0 {
			t.Errorf("another buyer sees %s", r.Raw)
		}
		h.must(h.do("GET", "/api/v1/refunds", "seller.SHOP", nil), 403)
		r = h.must(h.do("GET", "/api/v1/disputes?order=seller_due", "seller.SHOP", nil), 200)
		if items, _ := r.Body["items"].([]any); len(items) != 1 {
			t.Errorf("seller's list %s", r.Raw)
		}
		r = h.must(h.do("GET", "/api/v1/disputes", "seller.OTHER", nil), 200)
		if items, _ := r.Body["items"].([]any); len(items) != 0 {
			t.Errorf("another seller's list %s", r.Raw)
		}
	})
}

// TestUnansweredDisputeEscalatesInTheSweep: the worker's sweep escalates a
// dispute the seller left unanswered past their working days, once.
func TestUnansweredDisputeEscalatesInTheSweep(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		r := h.must(h.do("POST", "/api/v1/disputes", "buyer", map[string]any{"order_number": "ORD-S1",
			"reason": "damaged", "description": "cracked", "remedy": "return_and_refund"}), 201)
		n := r.str("dispute_number")
		ctx := context.Background()
		// Friday 27 November: three working days end on Wednesday 2 December.
		h.clock.Set(time.Date(2026, 12, 2, 22, 59, 0, 0, time.UTC))
		if _, err := h.app.Runner.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if r = h.must(h.do("GET", "/api/v1/disputes/"+n, "buyer", nil), 200); r.str("status") != "open" {
			t.Fatalf("escalated early: %s", r.Raw)
		}
		h.clock.Set(time.Date(2026, 12, 2, 23, 0, 0, 0, time.UTC))
		for range 2 {
			if _, err := h.app.Runner.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
		}
		r = h.must(h.do("GET", "/api/v1/disputes/"+n, "rep", nil), 200)
		timeline, _ := r.Body["timeline"].([]any)
		if r.str("status") != "escalated" || len(timeline) != 2 {
			t.Fatalf("after the sweeps: %s", r.Raw)
		}
		if step := timeline[1].(map[string]any); step["action"] != "auto_escalate" || step["actor_role"] != "system" {
			t.Errorf("escalation step %v", step)
		}
	})
}
