package web_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestLateDisputeDecisionIsTold: when a rep has not decided an escalated
// dispute by its due time, the sweep tells the admins and reps and
// apologises to the buyer, each once however often it runs, and marks the
// decision promise broken; one minute before, it tells nobody.
func TestLateDisputeDecisionIsTold(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		n := h.must(h.do("POST", "/api/v1/disputes", "buyer", map[string]any{"order_number": "ORD-S1",
			"reason": "not_as_described", "description": "smaller", "remedy": "full_refund"}), 201).str("dispute_number")
		h.must(h.do("POST", "/api/v1/disputes/"+n+"/refuse", "seller.SHOP", map[string]any{"note": "as listed"}), 200)
		r := h.must(h.do("POST", "/api/v1/disputes/"+n+"/escalate", "buyer", map[string]any{"note": "it is not"}), 200)
		due, err := time.Parse(time.RFC3339, r.str("decision_due_at"))
		if err != nil {
			t.Fatalf("decision_due_at %q", r.str("decision_due_at"))
		}
		letters := func() map[string]int {
			r := h.must(h.do("GET", "/api/v1/admin/mail?rma_number="+n, "admin", nil), 200)
			out := map[string]int{}
			items, _ := r.Body["items"].([]any)
			for _, it := range items {
				m := it.(map[string]any)
				out[m["kind"].(string)+" "+m["to"].(string)]++
				if strings.Contains(m["text"].(string), "{{") || !strings.Contains(m["text"].(string), n) {
					t.Errorf("letter %v", m["text"])
				}
			}
			return out
		}
		ctx := context.Background()
		h.clock.Set(due.Add(-time.Minute))
		if _, err := h.app.Runner.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if got := letters(); len(got) != 0 {
			t.Fatalf("told before the due time: %v", got)
		}
		h.clock.Set(due.Add(time.Minute))
		for range 2 {
			if _, err := h.app.Runner.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
		}
		want := map[string]int{"dispute_decision_late admin@example.com": 1, "dispute_decision_late rep@example.com": 1,
			"apology_dispute_decision buyer@example.com": 1}
		got := letters()
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %d letters, want %d (all: %v)", k, got[k], v, got)
			}
		}
		if len(got) != len(want) {
			t.Errorf("letters %v", got)
		}
		r = h.must(h.do("GET", "/api/v1/disputes/"+n, "rep", nil), 200)
		ps, _ := r.Body["promises"].([]any)
		if p := ps[len(ps)-1].(map[string]any); p["kind"] != "dispute_decision" || p["state"] != "broken" || r.str("status") != "escalated" {
			t.Errorf("after the breach: %s", r.Raw)
		}
	})
}
