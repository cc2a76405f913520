package web_test

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestReturnAssumedReceivedAfterTheCarrierDelivers: once the carrier
// reports the returned item delivered, the seller has 7 days to confirm
// it; one minute before, the sweep leaves it alone; after, two workers
// confirming at once confirm it once as the system, the seller's promise
// is broken, and the refund is in the ledger once.
func TestReturnAssumedReceivedAfterTheCarrierDelivers(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		n := h.must(h.do("POST", "/api/v1/disputes", "buyer", map[string]any{"order_number": "ORD-S1",
			"reason": "wrong_item", "description": "a blue one came", "remedy": "return_and_refund"}), 201).str("dispute_number")
		path := "/api/v1/disputes/" + n
		h.must(h.do("POST", path+"/return-delivered", "admin", map[string]any{}), 409) // nothing sent back yet
		h.must(h.do("POST", path+"/accept", "seller.SHOP", nil), 200)
		h.must(h.do("POST", path+"/send-back", "buyer", map[string]any{"note": "DHL 00340434"}), 200)
		delivered := start.Add(-2 * time.Hour)
		h.must(h.do("POST", path+"/return-delivered", "seller.SHOP", map[string]any{}), 403)
		r := h.must(h.do("POST", path+"/return-delivered", "admin", map[string]any{"delivered_at": "tomorrow"}), 422)
		if r.field("delivered_at") == "" {
			t.Errorf("a date that is none: %s", r.Raw)
		}
		h.must(h.do("POST", path+"/return-delivered", "admin", map[string]any{"delivered_at": start.Add(time.Hour).Format(time.RFC3339)}), 422)
		for range 2 { // the carrier's feed says it twice
			r = h.must(h.do("POST", path+"/return-delivered", "admin", map[string]any{"delivered_at": delivered.Format(time.RFC3339)}), 200)
		}
		if ps, _ := r.Body["promises"].([]any); len(ps) != 2 || ps[1].(map[string]any)["kind"] != "return_confirmation" ||
			ps[1].(map[string]any)["due_at"] != delivered.AddDate(0, 0, 7).Format(time.RFC3339) {
			t.Fatalf("promises after the delivery: %s", r.Raw)
		}
		ctx := context.Background()
		h.clock.Set(delivered.AddDate(0, 0, 7).Add(-time.Minute))
		if _, err := h.app.Runner.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if r = h.must(h.do("GET", path, "buyer", nil), 200); r.str("status") != "returning" {
			t.Fatalf("confirmed early: %s", r.Raw)
		}
		h.clock.Set(delivered.AddDate(0, 0, 7).Add(time.Minute))
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i := range counts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := h.app.Disputes.ConfirmOverdueReturns(ctx)
				if err != nil {
					t.Error(err)
				}
				counts[i] = n
			}()
		}
		wg.Wait()
		if counts[0]+counts[1] != 1 {
			t.Errorf("two workers confirmed %v times", counts)
		}
		r = h.must(h.do("GET", path, "seller.SHOP", nil), 200)
		timeline, _ := r.Body["timeline"].([]any)
		last := timeline[len(timeline)-1].(map[string]any)
		if r.str("status") != "refunded" || last["action"] != "confirm_return" || last["actor_role"] != "system" {
			t.Fatalf("after the seller's days: %s", r.Raw)
		}
		ps, _ := r.Body["promises"].([]any)
		if p := ps[len(ps)-1].(map[string]any); p["kind"] != "return_confirmation" || p["state"] != "broken" {
			t.Errorf("the seller's promise: %v", p)
		}
		r = h.must(h.do("GET", "/api/v1/refunds?order_number=ORD-S1", "admin", nil), 200)
		if items, _ := r.Body["items"].([]any); len(items) != 1 {
			t.Errorf("refunds %s", r.Raw)
		}
		if _, err := h.app.Runner.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if r = h.must(h.do("GET", "/api/v1/refunds?order_number=ORD-S1", "admin", nil), 200); len(r.Body["items"].([]any)) != 1 {
			t.Errorf("a later sweep refunded again: %s", r.Raw)
		}
	})
}

// TestSellerConfirmingInTimeKeepsThePromise: a seller who confirms the
// return within their days keeps their promise, and the sweep has nothing
// left to do.
func TestSellerConfirmingInTimeKeepsThePromise(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		n := h.must(h.do("POST", "/api/v1/disputes", "buyer", map[string]any{"order_number": "ORD-S1",
			"reason": "wrong_item", "description": "a blue one came", "remedy": "return_and_refund"}), 201).str("dispute_number")
		path := "/api/v1/disputes/" + n
		h.must(h.do("POST", path+"/accept", "seller.SHOP", nil), 200)
		h.must(h.do("POST", path+"/send-back", "buyer", nil), 200)
		h.must(h.do("POST", path+"/return-delivered", "admin", map[string]any{}), 200)
		h.clock.Set(start.AddDate(0, 0, 2))
		r := h.must(h.do("POST", path+"/return-received", "seller.SHOP", nil), 200)
		ps, _ := r.Body["promises"].([]any)
		if p := ps[len(ps)-1].(map[string]any); r.str("status") != "refunded" || p["state"] != "kept" {
			t.Errorf("confirmed in time: %s", r.Raw)
		}
		h.clock.Set(start.AddDate(0, 0, 30))
		if n, err := h.app.Disputes.ConfirmOverdueReturns(context.Background()); err != nil || n != 0 {
			t.Errorf("the sweep confirmed %d: %v", n, err)
		}
	})
}
