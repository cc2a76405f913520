package web_test

import (
	"strings"
	"testing"
	"time"
)

// TestLaptopWarrantyClaimEndToEnd: a laptop's order carries its serial
// number; the buyer sees it is claimed by serial number, files an
// extended-warranty claim with it, and it goes through approval, slip,
// intake, repair and return like a phone's. Accidental damage is refused
// for it with its reason. Staff see who took each step, the buyer roles
// only; the claim shows its promises.
func TestLaptopWarrantyClaimEndToEnd(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		done := h.clock.Now().AddDate(0, -6, 0).Format(time.RFC3339)
		h.must(h.do("PUT", "/api/v1/orders/ORD-LAP", "admin", map[string]any{"buyer_email": "buyer@example.com",
			"buyer_name": "Bea Buyer", "shipping_address": []string{"Kastanienallee 12", "10435 Berlin"},
			"completed_at": done, "country": "DE", "product_name": "ThinkPad X1 Carbon", "category": "laptop",
			"serial_number": "pf3k 2l9x", "coverages": []string{"extended_warranty", "accidental_damage"}}), 200)

		r := h.must(h.do("GET", "/api/v1/orders/ORD-LAP/eligibility", "buyer", nil), 200)
		if r.str("device_field") != "serial_number" || r.str("product_name") != "ThinkPad X1 Carbon" {
			t.Fatalf("eligibility %s", r.Raw)
		}
		r = h.must(h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": "ORD-LAP",
			"coverage": "accidental_damage", "serial_number": "PF3K2L9X", "incident_date": "2026-11-20",
			"description": "Dropped it, the hinge broke."}), 422)
		if r.reason("coverage") != "coverage_phones_only" {
			t.Errorf("accidental damage on a laptop: %s", r.Raw)
		}
		r = h.must(h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": "ORD-LAP",
			"coverage": "extended_warranty", "description": "The keyboard stopped working."}), 422)
		if r.reason("serial_number") != "serial_required" || r.field("serial_number") == "" {
			t.Errorf("no serial number: %s", r.Raw)
		}
		r = h.must(h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": "ORD-LAP",
			"coverage": "extended_warranty", "serial_number": "PF3K2L9X", "description": "The keyboard stopped working."}), 201)
		rma := r.str("rma_number")
		if r.str("serial_number") != "PF3K2L9X" || r.str("imei") != "" || r.str("product_name") != "ThinkPad X1 Carbon" {
			t.Fatalf("filed %s", r.Raw)
		}
		promises, _ := r.Body["promises"].([]any)
		if len(promises) != 1 || promises[0].(map[string]any)["kind"] != "answer" || promises[0].(map[string]any)["state"] != "open" {
			t.Fatalf("promises at filing: %v", promises)
		}

		h.must(h.do("POST", "/api/v1/claims/"+rma+"/approve", "rep", map[string]any{"note": "Covered."}), 200)
		pdf := h.must(h.do("GET", "/api/v1/claims/"+rma+"/slip.pdf?format=a4", "buyer", nil), 200)
		if !strings.HasPrefix(string(pdf.Raw), "%PDF") {
			t.Fatal("the slip is no PDF")
		}
		h.must(h.do("POST", "/api/v1/intake/scans", "tech", map[string]any{"code": h.app.Shipping.Signer().URL(rma)}), 200)
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/diagnosis", "tech", map[string]any{"findings": "Keyboard cable loose.",
			"decision": "repair"}), 200)
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/ready", "tech", nil), 200)
		r = h.must(h.do("POST", "/api/v1/claims/"+rma+"/return-shipment", "tech", map[string]any{"carrier": "DHL",
			"tracking_number": "JJD000390007"}), 200)
		if r.str("status") != "shipped" {
			t.Fatalf("shipped %s", r.Raw)
		}
		states := map[string]string{}
		for _, p := range r.Body["promises"].([]any) {
			m := p.(map[string]any)
			states[m["kind"].(string)] = m["state"].(string)
		}
		if states["answer"] != "kept" || states["ship_by"] != "kept" || states["return"] != "kept" {
			t.Errorf("promises after the return: %v", states)
		}

		staff := h.must(h.do("GET", "/api/v1/claims/"+rma, "rep", nil), 200)
		buyer := h.must(h.do("GET", "/api/v1/claims/"+rma, "buyer", nil), 200)
		names := func(r response) []string {
			var out []string
			for _, s := range r.Body["timeline"].([]any) {
				n, _ := s.(map[string]any)["actor_name"].(string)
				out = append(out, n)
			}
			return out
		}
		if got := names(staff); len(got) != 6 || got[0] != "Test buyer" || got[1] != "Test rep" || got[2] != "Test technician" {
			t.Errorf("staff see the actors %q", got)
		}
		for _, n := range names(buyer) {
			if n != "" {
				t.Errorf("the buyer sees an actor's name: %q", names(buyer))
			}
		}
		audit := h.must(h.do("GET", "/api/v1/admin/audit?rma_number="+strings.ToLower(rma), "admin", nil), 200)
		items, _ := audit.Body["items"].([]any)
		if len(items) != 6 || items[0].(map[string]any)["action"] != "ship_back" ||
			items[0].(map[string]any)["actor_role"] != "technician" || items[0].(map[string]any)["actor_name"] != "Test technician" {
			t.Errorf("audit %s", audit.Raw)
		}
		h.must(h.do("GET", "/api/v1/admin/audit", "rep", nil), 403)
	})
}

// TestPromiseReportCountsOverdueAsNotKept: the compliance report counts an
// unanswered claim past its deadline against compliance, as JSON and CSV.
func TestPromiseReportCountsOverdueAsNotKept(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		onTime := h.must(h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": "ORD-1",
			"coverage": "extended_warranty", "imei": imeiA, "description": "It no longer charges."}), 201).str("rma_number")
		h.must(h.do("POST", "/api/v1/claims/"+onTime+"/approve", "rep", nil), 200)
		h.must(h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": "ORD-6",
			"coverage": "extended_warranty", "imei": imeiB, "description": "It no longer charges."}), 201)
		h.clock.Set(h.clock.Now().AddDate(0, 0, 10))
		r := h.must(h.do("GET", "/api/v1/admin/promises?from=2026-11-01&to=2027-01-01", "admin", nil), 200)
		var answer map[string]any
		for _, it := range r.Body["items"].([]any) {
			if m := it.(map[string]any); m["kind"] == "answer" {
				answer = m
			}
		}
		if answer["kept"] != 1.0 || answer["open_overdue"] != 1.0 || answer["compliance"] != 0.5 {
			t.Errorf("answer promises %v", answer)
		}
		csv := h.must(h.do("GET", "/api/v1/admin/promises?from=2026-11-01&to=2027-01-01&format=csv", "admin", nil), 200)
		if !strings.Contains(string(csv.Raw), "answer,1,0,0,1,1,0.5000") {
			t.Errorf("csv:\n%s", csv.Raw)
		}
		h.must(h.do("GET", "/api/v1/admin/promises?format=xml", "admin", nil), 422)
		h.must(h.do("GET", "/api/v1/admin/promises?from=yesterday", "admin", nil), 422)
		h.must(h.do("GET", "/api/v1/admin/promises", "buyer", nil), 403)
	})
}
