package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rma/internal/i18n"
)

// fitsJS is true when the page is no wider than the window: nothing
// scrolls sideways.
const fitsJS = `document.documentElement.scrollWidth <= window.innerWidth`

// rmaWholeJS is true when every RMA number on the page sits on one line.
const rmaWholeJS = `Array.from(document.querySelectorAll(".rma")).every(e => e.getClientRects().length <= 1)`

// checkFits fails unless the page fits its width and no RMA number breaks.
func checkFits(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	var fits, whole bool
	var width, inner int
	run(t, ctx, chromedp.Evaluate(fitsJS, &fits), chromedp.Evaluate(rmaWholeJS, &whole),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &width), chromedp.Evaluate(`window.innerWidth`, &inner))
	if !fits {
		t.Errorf("%s scrolls sideways: %d px wide in a %d px window", where, width, inner)
	}
	if !whole {
		t.Errorf("%s breaks an RMA number across lines", where)
	}
}

// TestBrowserStepperAndWorkbenchFit: the buyer's stepper and card (in
// review, with a question, approved, with the activation lock on, refused),
// the public label page, and the rep's queue (both tabs) and claim page,
// at 390x844 and 1366x900, in English, Russian and Spanish: no page scrolls
// sideways, RMA numbers stay whole, the card comes first and the texts are
// translated.
func TestBrowserStepperAndWorkbenchFit(t *testing.T) {
	b := browser(t)
	cat, _ := i18n.New()
	h := newHarness(t, openSQLite(t))
	base := h.srv.URL
	review := h.file()
	asked := h.file()
	h.must(h.do("POST", "/api/v1/claims/"+asked+"/request-info", "rep", map[string]any{"question": "Is the charger original?"}), 200)
	h.must(h.do("POST", "/api/v1/claims/"+asked+"/notes", "rep", map[string]any{"body": "Check the serial on the box."}), 201)
	approved := h.approved()
	locked := h.received()
	if err := h.app.Claims.HoldReturn(context.Background(), locked, true); err != nil {
		t.Fatal(err)
	}
	refused := h.file()
	h.must(h.do("POST", "/api/v1/claims/"+refused+"/reject", "rep", map[string]any{"reason_code": "user_damage"}), 200)
	h.must(h.do("POST", "/api/v1/replies", "rep", map[string]any{"language": "en", "title": "Receipt",
		"body": "Please send a photo of the receipt."}), 201)
	code := h.app.Shipping.Signer().Code(approved)

	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1366, 900}} {
		for _, lang := range []string{"en", "ru", "es"} {
			t.Run(size.name+"-"+lang, func(t *testing.T) {
				check := func(ctx context.Context, where string) {
					checkFits(t, ctx, where)
					if lang == "en" {
						return
					}
					if bad := untranslated(t, ctx, cat, lang); len(bad) > 0 {
						t.Errorf("%s has untranslated text: %q", where, bad)
					}
				}
				buyer := tab(t, b)
				run(t, buyer, chromedp.EmulateViewport(size.w, size.h))
				signIn(t, buyer, base, "buyer@example.com", lang)
				for name, rma := range map[string]string{"review": review, "question": asked, "approved": approved,
					"lock": locked, "refused": refused} {
					run(t, buyer, chromedp.Navigate(base+"/claims/"+rma), chromedp.WaitVisible("#stepper", chromedp.ByQuery))
					var first bool
					run(t, buyer, chromedp.Evaluate(`document.querySelector("#todo").getBoundingClientRect().top < document.querySelector("#stepper").getBoundingClientRect().top`, &first))
					if !first {
						t.Errorf("buyer %s: the card is not above the steps", name)
					}
					check(buyer, "buyer claim page ("+name+")")
					shot(t, buyer, fmt.Sprintf("%s-%s-buyer-stepper-%s", lang, size.name, name))
				}
				anon := tab(t, b)
				run(t, anon, chromedp.EmulateViewport(size.w, size.h),
					chromedp.Navigate(base+"/s/"+code+"?lang="+lang), chromedp.WaitVisible("#stepper", chromedp.ByQuery))
				check(anon, "label page")
				shot(t, anon, fmt.Sprintf("%s-%s-public-stepper", lang, size.name))

				rep := tab(t, b)
				run(t, rep, chromedp.EmulateViewport(size.w, size.h))
				signIn(t, rep, base, "rep@example.com", lang)
				run(t, rep, chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(`tr[data-rma="`+review+`"]`, chromedp.ByQuery))
				check(rep, "queue")
				shot(t, rep, fmt.Sprintf("%s-%s-rep-queue", lang, size.name))
				run(t, rep, chromedp.Navigate(base+"/queue?tab=buyer"), chromedp.WaitVisible(`tr[data-rma="`+asked+`"]`, chromedp.ByQuery))
				check(rep, "queue, waiting on the buyer")
				run(t, rep, chromedp.Navigate(base+"/claims/"+asked), chromedp.WaitVisible("#notes", chromedp.ByQuery))
				check(rep, "rep claim page")
				shot(t, rep, fmt.Sprintf("%s-%s-rep-claim", lang, size.name))
			})
		}
	}
}

// TestBrowserDecisionPanelReturnsWithTheAnswer: the rep has the claim open
// while the buyer answers the question; without a reload the rep's page
// shows the answer, offers a new question again, and keeps the note the
// rep was typing. A saved reply fills the question field when chosen.
func TestBrowserDecisionPanelReturnsWithTheAnswer(t *testing.T) {
	b := browser(t)
	h := newHarness(t, openSQLite(t))
	base := h.srv.URL
	rma := h.file()
	h.must(h.do("POST", "/api/v1/replies", "rep", map[string]any{"language": "en", "title": "Receipt",
		"body": "Please send a photo of the receipt."}), 201)
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/request-info", "rep", map[string]any{"question": "Is the charger original?"}), 200)
	rep := tab(t, b)
	signIn(t, rep, base, "rep@example.com", "en")
	run(t, rep, chromedp.Navigate(base+"/claims/"+rma), chromedp.WaitVisible(`form[action$="/approve"]`, chromedp.ByQuery),
		chromedp.SendKeys("#note", "Covered under warranty.", chromedp.ByQuery))
	var asking bool
	run(t, rep, chromedp.Evaluate(`!!document.querySelector('form[action$="/request-info"]')`, &asking))
	if asking {
		t.Fatal("a second question is offered while one is open")
	}
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/answer", "buyer", map[string]any{"answer": "Yes, it came in the box."}), 200)
	run(t, rep, chromedp.Poll(`!!document.querySelector('form[action$="/request-info"]')`, nil,
		chromedp.WithPollingTimeout(15*time.Second)))
	var note, status string
	run(t, rep, chromedp.Evaluate(`document.getElementById("note").value`, &note),
		chromedp.Evaluate(textJS("#status"), &status))
	if note != "Covered under warranty." {
		t.Errorf("the note being typed became %q", note)
	}
	if status != h.app.Catalog.T("en", "status.under_review", nil) {
		t.Errorf("status %q", status)
	}
	run(t, rep, chromedp.SetValue("#reply-question", "", chromedp.ByQuery))
	var reply string
	run(t, rep, chromedp.Evaluate(`(() => { const s = document.getElementById("reply-question"); s.selectedIndex = 1;
		s.dispatchEvent(new Event("change", {bubbles: true})); return document.getElementById("question").value; })()`, &reply))
	if reply != "Please send a photo of the receipt." {
		t.Errorf("the saved reply filled %q", reply)
	}
}
