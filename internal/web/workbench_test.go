package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// postPage sends a form and returns the answer with its body.
func (b *browserClient) postPage(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.h.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := b.http.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// TestInternalNotesNeverReachTheBuyer: a rep's and a technician's notes are
// read by staff through the API and the page, and never appear on the
// buyer's page, its live part, the buyer's API answers or any e-mail sent
// about the claim; a buyer, and a technician of another center, cannot
// read them.
func TestInternalNotesNeverReachTheBuyer(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.file()
		const secret = "Buyer sounded evasive; check the IMEI history"
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/notes", "rep", map[string]any{"body": secret}), 201)
		rep := h.browserAs(t, "rep@example.com")
		res, _ := rep.postPage("/claims/"+rma+"/notes", url.Values{"body": {"second note from the page"},
			"_csrf": {rep.token("/claims/" + rma)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("note from the page: %d", res.StatusCode)
		}
		// The claim goes on, so that the buyer is e-mailed at every step.
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/request-info", "rep", map[string]any{"question": "Photo of the screen?"}), 200)
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/answer", "buyer", map[string]any{"answer": "Attached."}), 200)
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/approve", "rep", map[string]any{"note": "Covered."}), 200)
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/notes", "tech", map[string]any{"body": secret + " (tech)"}), 201)

		notes := h.must(h.do("GET", "/api/v1/claims/"+rma+"/notes", "rep", nil), 200)
		if !strings.Contains(string(notes.Raw), secret) || !strings.Contains(string(notes.Raw), "second note from the page") {
			t.Fatalf("staff cannot read the notes: %s", notes.Raw)
		}
		if _, page := rep.get("/claims/" + rma); !strings.Contains(page, secret) {
			t.Error("the rep's claim page does not show the note")
		}
		if r := h.do("GET", "/api/v1/claims/"+rma+"/notes", "buyer", nil); r.Status != http.StatusForbidden {
			t.Errorf("a buyer reads the notes: %d %s", r.Status, r.Raw)
		}
		if r := h.do("POST", "/api/v1/claims/"+rma+"/notes", "buyer", map[string]any{"body": "x"}); r.Status != http.StatusForbidden {
			t.Errorf("a buyer writes a note: %d", r.Status)
		}
		if r := h.do("GET", "/api/v1/claims/"+rma+"/notes", "tech.mad", nil); r.Status != http.StatusNotFound {
			t.Errorf("another center's technician reads the notes: %d", r.Status)
		}

		h.clock.Set(start.Add(time.Hour)) // past the sweep's grace
		if _, err := h.app.Runner.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		buyer := h.browserAs(t, "buyer@example.com")
		_, page := buyer.get("/claims/" + rma)
		_, live := buyer.get("/claims/" + rma + "/live")
		api := h.must(h.do("GET", "/api/v1/claims/"+rma, "buyer", nil), 200)
		list := h.must(h.do("GET", "/api/v1/claims", "buyer", nil), 200)
		var mails []struct{ Subject, BodyText, BodyHTML string }
		if err := h.st.DB().Table("mail").Where("rma_number = ?", rma).Find(&mails).Error; err != nil {
			t.Fatal(err)
		}
		if len(mails) < 4 {
			t.Fatalf("only %d e-mails about the claim", len(mails))
		}
		for what, text := range map[string]string{"page": page, "live part": live, "claim API": string(api.Raw),
			"claims API": string(list.Raw)} {
			if strings.Contains(text, secret) || strings.Contains(text, "second note") || strings.Contains(text, "notes-title") {
				t.Errorf("the buyer's %s shows an internal note", what)
			}
		}
		for _, m := range mails {
			if strings.Contains(m.Subject+m.BodyText+m.BodyHTML, "evasive") {
				t.Errorf("e-mail %q carries an internal note", m.Subject)
			}
		}
		// Empty notes are refused with a message on the field, and nothing is written.
		r := h.do("POST", "/api/v1/claims/"+rma+"/notes", "rep", map[string]any{"body": "  "})
		if r.Status != http.StatusUnprocessableEntity || r.field("body") == "" {
			t.Errorf("empty note: %d %s", r.Status, r.Raw)
		}
	})
}

// TestNextClaimTakesTheOldestUntakenClaim: "next claim" takes the oldest
// submitted claim, then the next, and says so when none is left; two reps
// never get the same claim. The queue offers it and "assign to me".
func TestNextClaimTakesTheOldestUntakenClaim(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		first := h.file()
		h.clock.Set(start.Add(time.Hour))
		second := h.file()
		rep := h.browserAs(t, "rep@example.com")
		_, queue := rep.get("/queue")
		for _, want := range []string{`action="/queue/next"`, `action="/claims/` + first + `/pick"`, `id="tab-buyer"`} {
			if !strings.Contains(queue, want) {
				t.Errorf("the queue lacks %s", want)
			}
		}
		res, _ := rep.postPage("/queue/next", url.Values{"_csrf": {rep.token("/queue")}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/claims/"+first) {
			t.Fatalf("next claim went to %d %q, want %s", res.StatusCode, loc, first)
		}
		r := h.must(h.do("POST", "/api/v1/queue/next", "rep", nil), 200)
		if r.str("rma_number") != second || r.str("status") != "under_review" {
			t.Fatalf("second next claim: %s", r.Raw)
		}
		if r := h.do("POST", "/api/v1/queue/next", "rep", nil); r.Status != http.StatusNotFound || r.reason("") != "queue_empty" {
			t.Errorf("empty queue: %d %s", r.Status, r.Raw)
		}
		if r := h.do("POST", "/api/v1/queue/next", "buyer", nil); r.Status != http.StatusForbidden {
			t.Errorf("a buyer takes a claim: %d", r.Status)
		}
		res, _ = rep.postPage("/queue/next", url.Values{"_csrf": {rep.token("/queue")}})
		if loc := res.Header.Get("Location"); !strings.Contains(loc, "done=queue_empty") {
			t.Errorf("empty queue on the page went to %q", loc)
		}
	})
}

// TestQueueShowsTheWorkbench: the queue's rows carry the product, the
// buyer's country and language, the age, the days left, the files and the
// repeat-device flag; the tabs split the claims waiting on us from those
// waiting on the buyer.
func TestQueueShowsTheWorkbench(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	waiting := h.file()
	asked := h.file()
	h.must(h.do("POST", "/api/v1/claims/"+asked+"/request-info", "rep", map[string]any{"question": "Which colour?"}), 200)
	h.clock.Set(start.AddDate(0, 0, 2))
	rep := h.browserAs(t, "rep@example.com")
	_, us := rep.get("/queue?lang=en")
	row := rowOf(t, us, waiting)
	for _, want := range []string{"Phone", `class="country">DE<`, "English", "2 days ago", `class="files">0<`, "Assign to me"} {
		if !strings.Contains(row, want) {
			t.Errorf("the row of %s lacks %q: %s", waiting, want, row)
		}
	}
	if strings.Contains(us, asked) {
		t.Error("a claim waiting on the buyer is in the waiting-on-us tab")
	}
	_, buyer := rep.get("/queue?tab=buyer")
	if !strings.Contains(buyer, asked) || strings.Contains(buyer, waiting) {
		t.Error("the waiting-on-buyer tab shows the wrong claims")
	}
	// A second claim on a device within a year is flagged; the first is not.
	first := h.must(h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": "ORD-1", "coverage": "extended_warranty",
		"imei": imeiA, "description": "The screen flickers all the time."}), 201).str("rma_number")
	_, us = rep.get("/queue")
	if strings.Contains(rowOf(t, us, first), "repeat-flag") {
		t.Error("a device's first claim is flagged as a repeat")
	}
	h.must(h.do("POST", "/api/v1/claims/"+first+"/reject", "rep", map[string]any{"reason_code": "not_covered"}), 200)
	again := h.must(h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": "ORD-1", "coverage": "accidental_damage",
		"imei": imeiA, "description": "Dropped it; the glass is cracked.", "incident_date": "2026-11-20"}), 201).str("rma_number")
	_, us = rep.get("/queue")
	if !strings.Contains(rowOf(t, us, again), "repeat-flag") {
		t.Error("a device's second claim within a year is not flagged")
	}
}

// rowOf returns the queue table's row of a claim.
func rowOf(t *testing.T, page, rma string) string {
	t.Helper()
	i := strings.Index(page, `<tr data-rma="`+rma+`"`)
	if i < 0 {
		t.Fatalf("no row for %s", rma)
	}
	j := strings.Index(page[i:], "</tr>")
	return page[i : i+j]
}
