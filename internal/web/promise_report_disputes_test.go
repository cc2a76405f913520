package web_test

import (
	"context"
	"testing"
	"time"
)

// TestPromiseReportCountsDisputes: the admins' promise report counts the
// promises of disputes beside the claims': a seller's broken answer and the
// platform's open decision, by the buyer's country and language, and none
// of them under a service center.
func TestPromiseReportCountsDisputes(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		h.must(h.do("POST", "/api/v1/disputes", "buyer", map[string]any{"order_number": "ORD-S1",
			"reason": "damaged", "description": "cracked", "remedy": "full_refund"}), 201)
		h.clock.Set(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)) // the seller's three working days are over
		if _, err := h.app.Runner.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		kinds := func(query string) map[string]map[string]any {
			r := h.must(h.do("GET", "/api/v1/admin/promises?from=2026-11-01&to=2027-01-01"+query, "admin", nil), 200)
			items, _ := r.Body["items"].([]any)
			out := map[string]map[string]any{}
			for _, it := range items {
				m := it.(map[string]any)
				out[m["kind"].(string)] = m
			}
			return out
		}
		for _, q := range []string{"", "&country=DE", "&language=en"} {
			k := kinds(q)
			if k["seller_response"]["broken"] != float64(1) || k["dispute_decision"]["open"] != float64(1) {
				t.Errorf("report%s: seller %v, decision %v", q, k["seller_response"], k["dispute_decision"])
			}
		}
		for _, q := range []string{"&center=BER", "&country=ES", "&language=ru"} {
			if k := kinds(q); k["seller_response"]["broken"] != float64(0) || k["dispute_decision"]["open"] != float64(0) {
				t.Errorf("report%s counts the dispute: %v %v", q, k["seller_response"], k["dispute_decision"])
			}
		}
	})
}
