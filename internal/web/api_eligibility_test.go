package web_test

import (
	"context"
	"sync"
	"testing"

	"rma/internal/account"
)

func TestFilingChecksEveryRuleThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		claim := func(order, cov, device string) map[string]any {
			return map[string]any{"order_number": order, "coverage": cov, "imei": device,
				"description": "The phone fell and the screen cracked.", "incident_date": "2026-11-20"}
		}
		cases := []struct {
			name, who   string
			body        map[string]any
			status      int
			field, code string
		}{
			{"someone else's order", "other", claim("ORD-1", "extended_warranty", imeiA), 422, "order_number", "order_not_found"},
			{"no such order", "buyer", claim("ORD-404", "extended_warranty", imeiA), 422, "order_number", "order_not_found"},
			{"out of term", "buyer", claim("ORD-3", "extended_warranty", imeiB), 422, "coverage", "coverage_expired"},
			{"not a phone", "buyer", claim("ORD-7", "accidental_damage", imeiB), 422, "coverage", "coverage_phones_only"},
			{"coverage not bought", "buyer", claim("ORD-2", "accidental_damage", imeiB), 422, "coverage", "coverage_not_purchased"},
			{"unknown coverage", "buyer", claim("ORD-2", "theft", imeiB), 422, "coverage", "coverage_invalid"},
			{"no center for France", "buyer", claim("ORD-5", "extended_warranty", imeiB), 422, "order_number", "no_service_center"},
			{"bad IMEI", "buyer", claim("ORD-1", "extended_warranty", "352098112345670"), 422, "imei", "imei_invalid"},
			{"IMEI not the order's", "buyer", claim("ORD-1", "extended_warranty", imeiB), 422, "imei", "imei_not_on_order"},
			{"staff cannot file", "rep", claim("ORD-1", "extended_warranty", imeiA), 403, "", ""},
			{"malformed", "buyer", nil, 400, "", ""},
		}
		for _, tc := range cases {
			before := h.snapshot()
			var body any = tc.body
			if tc.body == nil {
				body = `{"order_number": 7}`
			}
			r := h.do("POST", "/api/v1/claims", tc.who, body)
			if r.Status != tc.status || (tc.field != "" && r.reason(tc.field) != tc.code) {
				t.Errorf("%s: %d %s", tc.name, r.Status, r.Raw)
			}
			if tc.field != "" && r.field(tc.field) == "" {
				t.Errorf("%s: no message for %s", tc.name, tc.field)
			}
			h.unchanged(before, tc.name)
		}

		// One open claim per device: 409.
		h.must(h.do("POST", "/api/v1/claims", "buyer", claim("ORD-1", "accidental_damage", imeiA)), 201)
		before := h.snapshot()
		r := h.must(h.do("POST", "/api/v1/claims", "buyer", claim("ORD-1", "extended_warranty", imeiA)), 409)
		if r.reason("imei") != "device_has_open_claim" {
			t.Errorf("open claim: %s", r.Raw)
		}
		h.unchanged(before, "a second claim on one device")

		// Claim limit: two accidental-damage claims a term on ORD-6 (no IMEI recorded, so any device).
		for _, dev := range []string{imeiB, imeiC} {
			rma := h.must(h.do("POST", "/api/v1/claims", "buyer", claim("ORD-6", "accidental_damage", dev)), 201).str("rma_number")
			h.must(h.do("POST", "/api/v1/claims/"+rma+"/approve", "rep", nil), 200)
			h.must(h.do("POST", "/api/v1/claims/"+rma+"/cancel", "buyer", nil), 200) // cancelled ones do not count
		}
		for _, dev := range []string{imeiB, imeiC} {
			rma := h.must(h.do("POST", "/api/v1/claims", "buyer", claim("ORD-6", "accidental_damage", dev)), 201).str("rma_number")
			h.must(h.do("POST", "/api/v1/claims/"+rma+"/approve", "rep", nil), 200)
		}
		r = h.must(h.do("POST", "/api/v1/claims", "buyer", claim("ORD-6", "accidental_damage", imeiD)), 422)
		if r.reason("coverage") != "claim_limit_reached" {
			t.Errorf("limit: %s", r.Raw)
		}
		// Suspended account.
		buyer, _ := h.app.Accounts.Authenticate(context.Background(), h.tokens["buyer"])
		if err := h.st.SetUserStatus(context.Background(), buyer.ID, account.Suspended); err != nil {
			t.Fatal(err)
		}
		r = h.must(h.do("POST", "/api/v1/claims", "buyer", claim("ORD-6", "extended_warranty", imeiD)), 422)
		if r.reason("account") != "account_suspended" {
			t.Errorf("suspended: %s", r.Raw)
		}
	})
}

func TestEligibilityEndpoint(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		r := h.must(h.do("GET", "/api/v1/orders/ORD-2/eligibility", "buyer", nil), 200)
		got := map[string]map[string]any{}
		for _, c := range r.Body["coverages"].([]any) {
			m := c.(map[string]any)
			got[m["coverage"].(string)] = m
		}
		ew, ad := got["extended_warranty"], got["accidental_damage"]
		if ew["eligible"] != true || ew["ends_at"] != "2028-09-27T10:00:00Z" || ew["reason"] != "" {
			t.Errorf("extended warranty: %v", ew)
		}
		if ad["eligible"] != false || ad["reason"] != "coverage_not_purchased" || ad["message"] == "" {
			t.Errorf("accidental damage: %v", ad)
		}
		h.must(h.do("GET", "/api/v1/orders/ORD-2/eligibility", "other", nil), 404)
		h.must(h.do("GET", "/api/v1/orders/ORD-2/eligibility", "rep", nil), 200)
		h.must(h.do("GET", "/api/v1/orders/ORD-404/eligibility", "rep", nil), 404)
		h.must(h.do("GET", "/api/v1/orders/ORD-2/eligibility", "", nil), 401)
	})
}

func TestCentersAndOrdersAdmin(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		center := map[string]any{"name": "Riga", "country": "LV", "time_zone": "Europe/Riga",
			"address": []string{"Krasta iela 52", "Rīga"}, "serves": []string{"lv", "LT"}}
		h.must(h.do("PUT", "/api/v1/centers/RIX", "rep", center), 403)
		r := h.must(h.do("PUT", "/api/v1/centers/rix", "admin", center), 200)
		if r.str("code") != "RIX" || len(r.Body["serves"].([]any)) != 2 {
			t.Errorf("center %s", r.Raw)
		}
		before := h.snapshot()
		r = h.must(h.do("PUT", "/api/v1/centers/BAD", "admin", map[string]any{"name": "", "country": "XX",
			"time_zone": "Mars/Olympus", "address": []string{}}), 422)
		for _, f := range []string{"name", "country", "time_zone", "address"} {
			if r.field(f) == "" {
				t.Errorf("no message for %s: %s", f, r.Raw)
			}
		}
		center["serves"] = []string{"DE"} // Berlin's already
		r = h.must(h.do("PUT", "/api/v1/centers/RIX2", "admin", center), 409)
		if r.reason("serves") != "country_served_by_other_center" {
			t.Errorf("taken country: %s", r.Raw)
		}
		h.unchanged(before, "refused center changes")
		r = h.must(h.do("GET", "/api/v1/centers", "tech", nil), 200)
		if n := len(r.Body["items"].([]any)); n != 3 {
			t.Errorf("%d centers", n)
		}
		h.must(h.do("GET", "/api/v1/centers", "buyer", nil), 403)

		order := map[string]any{"buyer_email": "x@example.com", "buyer_name": "X", "shipping_address": []string{"a"},
			"completed_at": "2026-01-02T03:04:05Z", "country": "DE", "product_name": "P", "category": "phone",
			"imei": imeiB, "coverages": []string{"accidental_damage"}}
		h.must(h.do("PUT", "/api/v1/orders/ORD-9", "rep", order), 403)
		r = h.must(h.do("PUT", "/api/v1/orders/ORD-9", "admin", order), 200)
		if r.str("completed_at") != "2026-01-02T03:04:05Z" || r.str("imei") != imeiB {
			t.Errorf("order %s", r.Raw)
		}
		before = h.snapshot()
		order["imei"], order["completed_at"], order["coverages"] = "123", "yesterday", []string{"theft"}
		h.must(h.do("PUT", "/api/v1/orders/ORD-9", "admin", order), 422)
		order["completed_at"] = "2026-01-02"
		r = h.must(h.do("PUT", "/api/v1/orders/ORD-9", "admin", order), 422)
		if r.field("imei") == "" || r.field("coverages") == "" {
			t.Errorf("order fields %s", r.Raw)
		}
		h.unchanged(before, "refused order imports")
	})
}

// TestConcurrentDecisionsLeaveOne fires 20 approve and reject calls at one
// claim at once: exactly one wins, the others get 409, and one decision
// event is written.
func TestConcurrentDecisionsLeaveOne(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.file()
		var wg sync.WaitGroup
		statuses := make([]int, 20)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				path, body := "/approve", map[string]any{"note": "yes"}
				if i%2 == 1 {
					path, body = "/reject", map[string]any{"reason_code": "other"}
				}
				statuses[i] = h.do("POST", "/api/v1/claims/"+rma+path, "rep", body).Status
			}()
		}
		wg.Wait()
		ok, conflict := 0, 0
		for _, s := range statuses {
			switch s {
			case 200:
				ok++
			case 409:
				conflict++
			}
		}
		if ok != 1 || conflict != 19 {
			t.Errorf("statuses %v: %d ok, %d conflicts", statuses, ok, conflict)
		}
		var events int64
		h.st.DB().Table("claim_events").Where("action IN ?", []string{"approve", "reject"}).Count(&events)
		if events != 1 {
			t.Errorf("%d decision events", events)
		}
		r := h.must(h.do("GET", "/api/v1/claims/"+rma, "rep", nil), 200)
		if st := r.str("status"); (st != "approved" && st != "rejected") || len(timeline(r)) != 2 {
			t.Errorf("claim after the race: %s", r.Raw)
		}
	})
}

// TestConcurrentFilingsOnOneDevice: simultaneous claims for one device leave
// one open claim.
func TestConcurrentFilingsOnOneDevice(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		var wg sync.WaitGroup
		statuses := make([]int, 10)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cov := []string{"extended_warranty", "accidental_damage"}[i%2]
				statuses[i] = h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": "ORD-1", "coverage": cov,
					"imei": imeiA, "description": "Screen is black.", "incident_date": "2026-11-20"}).Status
			}()
		}
		wg.Wait()
		created := 0
		for _, s := range statuses {
			if s == 201 {
				created++
			} else if s != 409 {
				t.Errorf("status %d", s)
			}
		}
		var n int64
		h.st.DB().Table("claims").Count(&n)
		if created != 1 || n != 1 {
			t.Errorf("%d created, %d rows: %v", created, n, statuses)
		}
	})
}
