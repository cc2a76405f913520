package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rma/internal/account"
	"rma/internal/promise"
)

// TestStepperAndCardFollowTheClaim: the buyer's claim page leads with one
// card saying what to do now, and shows the journey's steps with the
// promised dates, at each stage: waiting for our answer, a question, the
// slip to print, the activation lock to remove, and a refusal with what to
// do next.
func TestStepperAndCardFollowTheClaim(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	buyer := h.browserAs(t, "buyer@example.com")
	card := func(rma string) string {
		t.Helper()
		_, page := buyer.get("/claims/" + rma + "?lang=en")
		i := strings.Index(page, `id="todo"`)
		if i < 0 {
			t.Fatalf("no card on the claim page of %s", rma)
		}
		if j := strings.Index(page, `id="stepper"`); j < i {
			t.Errorf("the card is not above the steps")
		}
		return page[i : i+strings.Index(page[i:], "</article>")]
	}
	rma := h.file()
	if c := card(rma); !strings.Contains(c, "we are looking at your claim") || !strings.Contains(c, "December 2026") {
		t.Errorf("card while in review: %s", c)
	}
	_, page := buyer.get("/claims/" + rma)
	for _, want := range []string{`data-step="decision"`, `aria-current="step" data-step="decision"`, "promised by", "Europe/Berlin"} {
		if !strings.Contains(page, want) {
			t.Errorf("the stepper lacks %q", want)
		}
	}
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/request-info", "rep", map[string]any{"question": "Is the charger original?"}), 200)
	if c := card(rma); !strings.Contains(c, "Is the charger original?") || !strings.Contains(c, `action="/claims/`+rma+`/answer"`) {
		t.Errorf("card with a question: %s", c)
	}
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/answer", "buyer", map[string]any{"answer": "Yes, it is."}), 200)
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/approve", "rep", map[string]any{}), 200)
	c := card(rma)
	for _, want := range []string{"slip.pdf?format=a4", "slip.pdf?format=label", `action="/claims/` + rma + `/sent"`, "Berlin service center by"} {
		if !strings.Contains(c, want) {
			t.Errorf("approved card lacks %q: %s", want, c)
		}
	}
	received := h.received()
	if err := h.app.Claims.HoldReturn(context.Background(), received, true); err != nil {
		t.Fatal(err)
	}
	if c := card(received); !strings.Contains(c, "Remove the activation lock") {
		t.Errorf("card with the lock on: %s", c)
	}
	v, err := h.app.Claims.Get(context.Background(), systemActor(), received)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := v.Claim.Promise(promise.Return); !ok || !p.Paused() {
		t.Fatal("the return promise is not paused")
	}
	refused := h.file()
	h.must(h.do("POST", "/api/v1/claims/"+refused+"/reject", "rep", map[string]any{"reason_code": "user_damage"}), 200)
	if c := card(refused); !strings.Contains(c, "could not accept") || !strings.Contains(c, "/claims/new?order=") ||
		!strings.Contains(c, h.app.Catalog.T("en", "reject.user_damage", nil)) {
		t.Errorf("card of a refused claim: %s", c)
	}
}

// TestPublicTrackingShowsTheJourneyInTheCenterTime: /track and the label's
// page show the same steps, product, card and times, in the center's named
// time zone, and their actions send the buyer through sign-in.
func TestPublicTrackingShowsTheJourneyInTheCenterTime(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	rma := h.approved()
	anon := h.browserAs(t, "")
	res, track := anon.postPage("/track", url.Values{"rma": {rma}, "email": {"buyer@example.com"}, "_csrf": {anon.token("/track")}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("track: %d", res.StatusCode)
	}
	code := h.app.Shipping.Signer().Code(rma)
	_, label := anon.get("/s/" + code)
	// 10:00 UTC on 27 November is 11:00 in Berlin.
	for name, page := range map[string]string{"/track": track, "/s/": label} {
		for _, want := range []string{", 11:00<", "Europe/Berlin", `id="stepper"`, "Phone", `href="/login?next=/claims/` + rma + `"`,
			"Print the slip"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		if strings.Contains(page, ", 10:00<") { // (the datetime attributes are UTC by design)
			t.Errorf("%s shows a UTC time", name)
		}
	}
}

// TestEmailLinkOpensTheClaimPageThroughSignIn: the claim page link of the
// e-mails sends a signed-out buyer to sign in and back to the claim.
func TestEmailLinkOpensTheClaimPageThroughSignIn(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	rma := h.file()
	anon := h.browserAs(t, "")
	res, _ := anon.get("/claims/" + rma)
	next := "/login?next=" + url.QueryEscape("/claims/"+rma)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != next {
		t.Fatalf("signed out: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, login := anon.get(next)
	if !strings.Contains(login, `value="/claims/`+rma+`"`) {
		t.Fatal("the sign-in form does not carry the claim page")
	}
	res, _ = anon.postPage("/login", url.Values{"email": {"buyer@example.com"}, "password": {password},
		"next": {"/claims/" + rma}, "_csrf": {anon.token(next)}})
	if res.Header.Get("Location") != "/claims/"+rma {
		t.Errorf("after sign-in: %q", res.Header.Get("Location"))
	}
}

// TestCoverageCheckLinksTheOpenClaim: checking an order whose device has an
// open claim names it with a link, and so does filing again.
func TestCoverageCheckLinksTheOpenClaim(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	rma := h.must(h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": "ORD-1", "coverage": "extended_warranty",
		"imei": imeiA, "description": "The screen flickers all the time."}), 201).str("rma_number")
	buyer := h.browserAs(t, "buyer@example.com")
	link := `<a href="/claims/` + rma + `" class="rma">`
	if _, page := buyer.get("/claims/new?order=ORD-1"); !strings.Contains(page, link) {
		t.Error("the coverage check hides the open claim")
	}
	res, page := buyer.postPage("/claims/new", url.Values{"order_number": {"ORD-1"}, "coverage": {"accidental_damage"},
		"imei": {imeiA}, "description": {"Dropped it on the floor."}, "incident_date": {"2026-11-20"},
		"_csrf": {buyer.token("/claims/new")}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(page, link) {
		t.Errorf("filing again: %d, link shown %v", res.StatusCode, strings.Contains(page, link))
	}
	// Another buyer's order on another device shows no claim.
	if _, page := buyer.get("/claims/new?order=ORD-6"); strings.Contains(page, `id="open-claim"`) {
		t.Error("an order without an open claim shows one")
	}
}

// TestDecisionWhileAQuestionIsOpenClosesIt: the rep approves while the
// buyer has not answered; the question closes (no answer box, the answer
// refused, the answer promise kept) and the rep's page warned about it.
func TestDecisionWhileAQuestionIsOpenClosesIt(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.file()
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/request-info", "rep", map[string]any{"question": "Receipt?"}), 200)
		rep := h.browserAs(t, "rep@example.com")
		if _, page := rep.get("/claims/" + rma); !strings.Contains(page, `id="closes-question"`) || !strings.Contains(page, `/approve"`) {
			t.Error("the rep cannot decide, or is not told the question closes")
		}
		r := h.must(h.do("POST", "/api/v1/claims/"+rma+"/approve", "rep", map[string]any{}), 200)
		for _, p := range r.Body["promises"].([]any) {
			if m := p.(map[string]any); m["kind"] == "answer" && m["state"] != "kept" {
				t.Errorf("answer promise %v", m)
			}
		}
		if r := h.do("POST", "/api/v1/claims/"+rma+"/answer", "buyer", map[string]any{"answer": "late"}); r.Status != http.StatusConflict {
			t.Errorf("an answer after the decision: %d", r.Status)
		}
		buyer := h.browserAs(t, "buyer@example.com")
		if _, page := buyer.get("/claims/" + rma); strings.Contains(page, `/answer"`) {
			t.Error("the buyer still has an answer box")
		}
	})
}

// TestSavedReplyFillsTheForm: a saved reply chosen without typing becomes
// the question; typed text wins over it.
func TestSavedReplyFillsTheForm(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	reply := h.must(h.do("POST", "/api/v1/replies", "rep", map[string]any{"language": "en", "title": "Receipt",
		"body": "Please send a photo of the receipt."}), 201).str("id")
	if r := h.do("POST", "/api/v1/replies", "rep", map[string]any{"language": "de", "title": "", "body": ""}); r.Status != 422 ||
		r.field("language") == "" || r.field("title") == "" || r.field("body") == "" {
		t.Errorf("bad reply: %d %s", r.Status, r.Raw)
	}
	if r := h.do("GET", "/api/v1/replies", "buyer", nil); r.Status != http.StatusForbidden {
		t.Errorf("a buyer reads the replies: %d", r.Status)
	}
	rma := h.file()
	rep := h.browserAs(t, "rep@example.com")
	_, page := rep.get("/claims/" + rma)
	if !strings.Contains(page, `<option value="`+reply+`" data-body="Please send a photo of the receipt.">Receipt</option>`) {
		t.Fatal("the question form does not offer the saved reply")
	}
	res, _ := rep.postPage("/claims/"+rma+"/request-info", url.Values{"saved_reply": {reply}, "question": {""},
		"_csrf": {rep.token("/claims/" + rma)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("question from a saved reply: %d", res.StatusCode)
	}
	if r := h.must(h.do("GET", "/api/v1/claims/"+rma, "rep", nil), 200); r.str("question") != "Please send a photo of the receipt." {
		t.Errorf("question %q", r.str("question"))
	}
	other := h.file()
	rep.postPage("/claims/"+other+"/request-info", url.Values{"saved_reply": {reply}, "question": {"My own words."},
		"_csrf": {rep.token("/claims/" + other)}})
	if r := h.must(h.do("GET", "/api/v1/claims/"+other, "rep", nil), 200); r.str("question") != "My own words." {
		t.Errorf("typed question replaced: %q", r.str("question"))
	}
}

// TestFailedDiagnosisKeepsTheChosenDecision: a refused decision form comes
// back with the decision, the findings and the reason still chosen.
func TestFailedDiagnosisKeepsTheChosenDecision(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	rma := h.received()
	tech := h.browserAs(t, "tech@example.com")
	res, page := tech.postPage("/claims/"+rma+"/diagnosis", url.Values{"findings": {"Cracked board"}, "decision": {"replace"},
		"replacement_imei": {"123"}, "_csrf": {tech.token("/claims/" + rma)}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad diagnosis: %d", res.StatusCode)
	}
	for _, want := range []string{`value="replace" checked`, "Cracked board", `value="123"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the refused form lost %q", want)
		}
	}
	_, page = tech.postPage("/claims/"+rma+"/diagnosis", url.Values{"findings": {"No fault"}, "decision": {"return_unrepaired"},
		"reason_code": {"bogus"}, "_csrf": {tech.token("/claims/" + rma)}})
	if !strings.Contains(page, `value="return_unrepaired" checked`) {
		t.Error("the refused form lost the return-unrepaired decision")
	}
}

// systemActor reads any claim.
func systemActor() account.Actor { return account.Actor{UserID: "test", Role: account.Admin} }
