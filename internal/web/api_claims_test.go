package web_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

func timeline(r response) []string {
	var out []string
	steps, _ := r.Body["timeline"].([]any)
	for _, s := range steps {
		m, _ := s.(map[string]any)
		out = append(out, m["status"].(string)+"/"+m["actor_role"].(string))
	}
	return out
}

func TestClaimLifecycleThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		r := h.must(h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": "ORD-1",
			"coverage": "accidental_damage", "imei": imeiA, "description": "Dropped it, the screen cracked.",
			"incident_date": "2026-11-25"}), 201)
		rma := r.str("rma_number")
		ctr, _ := r.Body["center"].(map[string]any)
		// Filed on Friday 27 November 2026: five German working days end on Friday 4 December.
		if r.str("status") != "submitted" || ctr["code"] != "BER" || r.str("review_due_at") != "2026-12-04T22:59:59Z" {
			t.Fatalf("filed %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/pick", "rep", nil), 200)
		r = h.must(h.do("POST", "/api/v1/claims/"+rma+"/request-info", "rep", map[string]any{"question": "Photo of the screen?"}), 200)
		if r.str("status") != "info_requested" || r.str("question") != "Photo of the screen?" {
			t.Fatalf("question %s", r.Raw)
		}
		// The buyer answers on Tuesday: the clock resumes with the 5 working days it had left.
		h.clock.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
		r = h.must(h.do("POST", "/api/v1/claims/"+rma+"/answer", "buyer", map[string]any{"answer": "Sent by mail."}), 200)
		if r.str("status") != "under_review" || r.str("review_due_at") != "2026-12-08T22:59:59Z" {
			t.Fatalf("answer %s", r.Raw)
		}
		r = h.must(h.do("POST", "/api/v1/claims/"+rma+"/approve", "rep", map[string]any{"note": "Covered."}), 200)
		ctr, _ = r.Body["center"].(map[string]any)
		if r.str("status") != "approved" || r.str("ship_by") != "2026-12-31T09:00:00Z" || ctr["name"] != "Berlin" {
			t.Fatalf("approve %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/sent", "buyer", map[string]any{"carrier": "DHL", "tracking_number": "JJD0001"}), 200)
		tech, _ := h.app.Accounts.Authenticate(context.Background(), h.tokens["tech"])
		v, first, err := h.app.Claims.Receive(context.Background(), tech.Actor(), rma, imeiA)
		if err != nil || !first || v.Claim.ReturnDueAt == nil || !v.Claim.ReturnDueAt.Equal(h.clock.Now().AddDate(0, 0, 15)) {
			t.Fatalf("receive: %v %v %+v", err, first, v.Claim)
		}
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/start-diagnosis", "tech", nil), 200)
		r = h.must(h.do("POST", "/api/v1/claims/"+rma+"/diagnosis", "tech", map[string]any{"findings": "Cracked display.",
			"decision": "replace", "replacement_imei": imeiD}), 200)
		if r.str("status") != "replacing" || r.str("replacement_imei") != imeiD || r.str("decision") != "replace" {
			t.Fatalf("diagnosis %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/ready", "tech", map[string]any{"note": "QC passed"}), 200)
		r = h.must(h.do("POST", "/api/v1/claims/"+rma+"/return-shipment", "tech", map[string]any{"carrier": "UPS", "tracking_number": "1Z999"}), 200)
		ship, _ := r.Body["return_shipment"].(map[string]any)
		if r.str("status") != "shipped" || ship["carrier"] != "UPS" || ship["tracking_number"] != "1Z999" || ship["shipped_at"] == nil {
			t.Fatalf("shipped %s", r.Raw)
		}
		r = h.must(h.do("POST", "/api/v1/claims/"+rma+"/delivered", "buyer", nil), 200)
		want := []string{"submitted/buyer", "under_review/rep", "info_requested/rep", "under_review/buyer", "approved/rep",
			"in_transit/buyer", "received/technician", "diagnosing/technician", "replacing/technician",
			"ready_to_ship/technician", "shipped/technician", "delivered/buyer"}
		if got := timeline(r); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("timeline\n got %v\nwant %v", got, want)
		}
		// The device is free again: a new claim can be filed for it.
		h.must(h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": "ORD-1",
			"coverage": "extended_warranty", "imei": imeiA, "description": "Battery drains within hours."}), 201)
	})
}

func TestRejectAndCancel(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.file()
		r := h.must(h.do("POST", "/api/v1/claims/"+rma+"/reject", "rep", map[string]any{"reason_code": "user_damage",
			"note": "Liquid damage."}), 200)
		if r.str("status") != "rejected" || r.str("reject_reason") != "user_damage" {
			t.Fatalf("reject %s", r.Raw)
		}
		rma = h.approved()
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/cancel", "buyer", map[string]any{"reason": "Fixed it myself"}), 200)
		rma = h.received()
		r = h.must(h.do("POST", "/api/v1/claims/"+rma+"/cancel", "buyer", nil), 409)
		if r.errCode() != "conflict" || !strings.Contains(r.message(), "received at the service center") {
			t.Errorf("cancel after receipt %s", r.Raw)
		}
	})
}

func TestListsAndFilters(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		a := h.file()
		h.must(h.do("POST", "/api/v1/claims/"+a+"/reject", "rep", map[string]any{"reason_code": "other"}), 200)
		b := h.approved()
		c := h.must(h.do("POST", "/api/v1/claims", "other", map[string]any{"order_number": "ORD-4",
			"coverage": "extended_warranty", "imei": imeiC, "description": "Speaker crackles."}), 201).str("rma_number")
		items := func(r response) []string {
			var out []string
			for _, it := range r.Body["items"].([]any) {
				out = append(out, it.(map[string]any)["rma_number"].(string))
			}
			return out
		}
		if got := items(h.must(h.do("GET", "/api/v1/claims", "buyer", nil), 200)); strings.Join(got, ",") != b+","+a {
			t.Errorf("buyer sees %v, want own claims %s,%s newest first", got, b, a)
		}
		if got := items(h.must(h.do("GET", "/api/v1/claims", "rep", nil), 200)); len(got) != 3 {
			t.Errorf("rep sees %v", got)
		}
		if got := items(h.must(h.do("GET", "/api/v1/claims", "tech.mad", nil), 200)); strings.Join(got, ",") != c {
			t.Errorf("Madrid technician sees %v, want only %s", got, c)
		}
		if got := items(h.must(h.do("GET", "/api/v1/claims?status=approved,submitted", "rep", nil), 200)); strings.Join(got, ",") != c+","+b {
			t.Errorf("status filter %v", got)
		}
		if got := items(h.must(h.do("GET", "/api/v1/claims?center=ber", "rep", nil), 200)); strings.Join(got, ",") != b+","+a {
			t.Errorf("center filter %v", got)
		}
		// Paging: one at a time follows the cursor to the end.
		var paged []string
		cursor := ""
		for i := 0; i < 5; i++ {
			r := h.must(h.do("GET", "/api/v1/claims?limit=1&cursor="+cursor, "rep", nil), 200)
			paged = append(paged, items(r)...)
			if cursor = r.str("next_cursor"); cursor == "" {
				break
			}
		}
		if strings.Join(paged, ",") != c+","+b+","+a {
			t.Errorf("paged %v", paged)
		}
		// Overdue: a week later the open review of c has passed its 5 working days; the approved b has not passed ship-by.
		h.clock.Set(start.AddDate(0, 0, 8))
		r := h.must(h.do("GET", "/api/v1/claims?overdue=true", "rep", nil), 200)
		if got := items(r); strings.Join(got, ",") != c {
			t.Errorf("overdue %v, want %s", got, c)
		}
		if ov := r.Body["items"].([]any)[0].(map[string]any)["overdue"].([]any); len(ov) != 1 || ov[0] != "review" {
			t.Errorf("overdue clocks %v", ov)
		}
		for _, q := range []string{"limit=0", "limit=201", "limit=x", "cursor=bad", "status=lost", "overdue=maybe", "coverage=theft"} {
			if r := h.do("GET", "/api/v1/claims?"+q, "rep", nil); r.Status != 422 {
				t.Errorf("%s: %d %s", q, r.Status, r.Raw)
			}
		}
	})
}

func TestTrackingNeedsTheBuyersEmail(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.approved()
		r := h.must(h.do("GET", "/api/v1/track/"+strings.ToLower(rma)+"?email=BUYER@example.com", "", nil), 200)
		if r.str("status") != "approved" || r.str("rma_number") != rma || len(timeline(r)) != 2 || r.str("updated_at") == "" {
			t.Errorf("track %s", r.Raw)
		}
		if _, leaks := r.Body["imei"]; leaks {
			t.Error("tracking shows the IMEI to anyone with the e-mail")
		}
		for _, q := range []string{"?email=other@example.com", "", "?email=buyer@example.com&x"} {
			path := "/api/v1/track/" + rma + q
			if q == "?email=buyer@example.com&x" {
				path = "/api/v1/track/RMA-0000-0000?email=buyer@example.com"
			}
			if r := h.do("GET", path, "", nil); r.Status != 404 || r.errCode() != "not_found" {
				t.Errorf("%s: %d %s", path, r.Status, r.Raw)
			}
		}
	})
}

func TestMessagesSpeakTheCallersLanguage(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		body := map[string]any{"order_number": "ORD-1", "coverage": "extended_warranty", "imei": "123", "description": "x"}
		for lang, want := range map[string]string{"en": "valid IMEI", "ru": "неверный IMEI", "es": "IMEI válido"} {
			r := h.must(h.do("POST", "/api/v1/claims?lang="+lang, "buyer", body), 422)
			if !strings.Contains(r.field("imei"), want) {
				t.Errorf("%s: %q", lang, r.field("imei"))
			}
		}
		r := h.must(h.do("POST", "/api/v1/claims", "buyer", body, "Accept-Language", "es-ES,es;q=0.9"), 422)
		if !strings.Contains(r.field("description"), "Describa") {
			t.Errorf("Accept-Language es: %s", r.Raw)
		}
		// With no preference in the request, the user's own language (ru) speaks.
		r = h.must(h.do("GET", "/api/v1/claims/RMA-0000-0000", "other", nil), 404)
		if !strings.Contains(r.message(), "не найдена") {
			t.Errorf("user language: %s", r.Raw)
		}
	})
}

// BenchmarkClaimRead: the buyers' polling read, GET /api/v1/claims/{rma},
// through the whole HTTP stack on SQLite.
func BenchmarkClaimRead(b *testing.B) {
	h := newHarness(b, openSQLite(b))
	rma := h.file()
	for _, path := range []string{"/pick", "/request-info"} {
		h.must(h.do("POST", "/api/v1/claims/"+rma+path, "rep", map[string]any{"question": "Colour?"}), 200)
	}
	b.ResetTimer()
	for b.Loop() {
		if r := h.do("GET", "/api/v1/claims/"+rma, "buyer", nil); r.Status != 200 {
			b.Fatal(r.Status)
		}
	}
}
