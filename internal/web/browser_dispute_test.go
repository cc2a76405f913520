package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rma/internal/evidence/evidencetest"
	"rma/internal/i18n"
	"rma/internal/webhook"
)

// TestBrowserDisputeWalk: the buyer opens a dispute from an order, the
// seller offers a partial refund, the buyer declines it and takes the
// dispute to the platform, a rep decides a full refund from the escalated
// disputes' tab beside the buyer's photo, the refund shows on the dispute page and in the refunds
// ledger, and a local webhook receiver gets it, signed. In English, Russian
// and Spanish, with no untranslated text in the latter two.
func TestBrowserDisputeWalk(t *testing.T) {
	b := browser(t)
	cat, _ := i18n.New()
	for _, lang := range []string{"en", "ru", "es"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, openSQLite(t))
			withSellers(t, h)
			base := h.srv.URL
			check := func(ctx context.Context, where string) {
				if lang == "en" {
					return
				}
				if bad := untranslated(t, ctx, cat, lang); len(bad) > 0 {
					t.Errorf("%s page %s has untranslated text: %q", lang, where, bad)
				}
			}
			var mu sync.Mutex
			var got []webhook.Event
			hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				if err := webhook.Verify(r.Header.Get("RMA-Signature"), "marketplace-secret-1", body, h.clock.Now(),
					time.Minute); err != nil {
					t.Errorf("signature: %v", err)
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				var e webhook.Event
				if err := json.Unmarshal(body, &e); err != nil {
					t.Errorf("webhook body %q: %v", body, err)
				}
				mu.Lock()
				got = append(got, e)
				mu.Unlock()
			}))
			defer hook.Close()
			h.must(h.do("PUT", "/api/v1/webhooks/marketplace", "admin", map[string]any{"url": hook.URL,
				"secret": "marketplace-secret-1", "events": []string{"refund.created"}}), 200)

			buyer := tab(t, b)
			signIn(t, buyer, base, "buyer@example.com", lang)
			run(t, buyer, chromedp.Navigate(base+"/disputes"), chromedp.WaitVisible(`a[href="/disputes/new"]`, chromedp.ByQuery),
				chromedp.Click(`a[href="/disputes/new"]`, chromedp.ByQuery), chromedp.WaitVisible("#order_number", chromedp.ByQuery),
				chromedp.SendKeys("#order_number", "ORD-S1", chromedp.ByQuery),
				chromedp.Click(`input[name=reason][value=not_as_described]`, chromedp.ByQuery),
				chromedp.SendKeys("#description", "The screen is smaller than listed.", chromedp.ByQuery),
				chromedp.Click(`input[name=remedy][value=full_refund]`, chromedp.ByQuery))
			check(buyer, "new dispute")
			shot(t, buyer, lang+"-buyer-new-dispute")
			run(t, buyer, chromedp.Submit("#description", chromedp.ByQuery), chromedp.WaitVisible("#dispute-number", chromedp.ByQuery))
			var number string
			run(t, buyer, chromedp.Evaluate(textJS("#dispute-number"), &number))
			if !strings.HasPrefix(number, "DSP-") {
				t.Fatalf("no dispute number on the page: %q", number)
			}
			wantStatus := func(ctx context.Context, st string) {
				t.Helper()
				waitTrue(t, ctx, `(() => { const e = document.getElementById("status"); return !!e && e.textContent.trim() === `+
					jsString(cat.T(lang, "dispute.status."+st, nil))+`; })()`)
			}
			wantStatus(buyer, "open")
			check(buyer, "dispute")
			// A photo of the problem, through the page's file form.
			photo := filepath.Join(t.TempDir(), "screen.png")
			if err := os.WriteFile(photo, evidencetest.PNG(t, evidencetest.TwoTone(16, 16)), 0o600); err != nil {
				t.Fatal(err)
			}
			run(t, buyer, chromedp.SetUploadFiles("#file", []string{photo}, chromedp.ByQuery),
				chromedp.Submit("#file", chromedp.ByQuery))
			waitTrue(t, buyer, `location.hash === "#files" && !!document.querySelector('#files a[href*="/attachments/"] img')`)

			seller := tab(t, b)
			signIn(t, seller, base, "seller.SHOP@example.com", lang)
			run(t, seller, chromedp.WaitVisible(`#disputes a[href="/disputes/`+number+`"]`, chromedp.ByQuery))
			var figures string
			run(t, seller, chromedp.Evaluate(textJS("#compliance"), &figures))
			if !strings.Contains(figures, cat.T(lang, "dispute.figures_response", nil)) {
				t.Errorf("the seller's list has no figures: %q", figures)
			}
			check(seller, "seller's disputes")
			shot(t, seller, lang+"-seller-disputes")
			run(t, seller, chromedp.Click(`#disputes a[href="/disputes/`+number+`"]`, chromedp.ByQuery),
				chromedp.WaitVisible("#actions", chromedp.ByQuery))
			run(t, seller, chromedp.Click(`#actions details summary`, chromedp.ByQuery),
				chromedp.WaitVisible("#offer_remedy", chromedp.ByQuery),
				chromedp.SetValue("#offer_remedy", "partial_refund", chromedp.ByQuery),
				chromedp.SendKeys("#offer_amount", "12.30", chromedp.ByQuery))
			check(seller, "seller's dispute")
			shot(t, seller, lang+"-seller-dispute")
			run(t, seller, chromedp.Submit("#offer_amount", chromedp.ByQuery))
			wantStatus(seller, "offered")
			run(t, seller, chromedp.SendKeys("#body", "We can give part of the price back.", chromedp.ByQuery),
				chromedp.Submit("#body", chromedp.ByQuery))
			waitTrue(t, seller, `location.hash === "#messages" && document.querySelectorAll(".messages li").length === 1`)

			// The buyer sees the offer and the seller's message, declines the
			// offer and takes the dispute to the platform.
			run(t, buyer, chromedp.Navigate(base+"/disputes/"+number), chromedp.WaitVisible("#offer", chromedp.ByQuery))
			var offer, messages string
			run(t, buyer, chromedp.Evaluate(textJS("#offer"), &offer), chromedp.Evaluate(textJS("#messages"), &messages))
			wantAmount := map[string]string{"en": "12.30", "ru": "12,30", "es": "12,30"}[lang]
			if !strings.Contains(offer, wantAmount) || !strings.Contains(messages, "part of the price") {
				t.Errorf("the buyer sees offer %q and messages %q", offer, messages)
			}
			check(buyer, "offer")
			shot(t, buyer, lang+"-buyer-offer")
			run(t, buyer, chromedp.SendKeys("#escalate_note", "The screen is 6.1 inches, the listing says 6.7.", chromedp.ByQuery),
				chromedp.Submit("#escalate_note", chromedp.ByQuery))
			wantStatus(buyer, "escalated")

			rep := tab(t, b)
			signIn(t, rep, base, "rep@example.com", lang)
			run(t, rep, chromedp.WaitVisible("#tab-disputes", chromedp.ByQuery), chromedp.Click("#tab-disputes", chromedp.ByQuery),
				chromedp.WaitVisible(`#dispute-queue a[href="/disputes/`+number+`"]`, chromedp.ByQuery))
			check(rep, "dispute queue")
			shot(t, rep, lang+"-rep-disputes")
			run(t, rep, chromedp.Click(`#dispute-queue a[href="/disputes/`+number+`"]`, chromedp.ByQuery),
				chromedp.WaitVisible("#decide-form", chromedp.ByQuery))
			var both string
			run(t, rep, chromedp.Evaluate(textJS("body"), &both))
			for _, want := range []string{"part of the price", "6.1 inches", "smaller than listed", "screen.png"} {
				if !strings.Contains(both, want) {
					t.Errorf("the rep's dispute page lacks %q", want)
				}
			}
			// The buyer's photo shows to the rep: its thumbnail loads.
			waitTrue(t, rep, `(() => { const i = document.querySelector("#files img"); return !!i && i.complete && i.naturalWidth > 0; })()`)
			check(rep, "rep's dispute")
			shot(t, rep, lang+"-rep-dispute")
			run(t, rep, chromedp.Click(`input[name=outcome][value=full_refund]`, chromedp.ByQuery),
				chromedp.SendKeys("#decide_note", "The listing states 6.7 inches.", chromedp.ByQuery),
				chromedp.Submit("#decide_note", chromedp.ByQuery))
			wantStatus(rep, "refunded")

			run(t, buyer, chromedp.Navigate(base+"/disputes/"+number), chromedp.WaitVisible("#refunds", chromedp.ByQuery))
			var refunds string
			run(t, buyer, chromedp.Evaluate(textJS("#refunds"), &refunds))
			full := map[string]string{"en": "499.00", "ru": "499,00", "es": "499,00"}[lang]
			if !strings.Contains(refunds, full) || !strings.Contains(refunds, cat.T(lang, "refund.status.pending", nil)) {
				t.Errorf("the buyer's dispute page shows refunds %q", refunds)
			}
			check(buyer, "refunded")
			shot(t, buyer, lang+"-buyer-refunded")

			r := h.must(h.do("GET", "/api/v1/refunds?order_number=ORD-S1", "admin", nil), 200)
			items, _ := r.Body["items"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["amount"] != "499.00" || items[0].(map[string]any)["source"] != "dispute" {
				t.Fatalf("the refunds ledger: %s", r.Raw)
			}
			if _, err := h.app.Runner.Sweep(context.Background()); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(got) != 1 || got[0].Type != "refund.created" {
				t.Fatalf("the marketplace got %+v", got)
			}
			data, _ := json.Marshal(got[0].Data)
			if !strings.Contains(string(data), `"amount":"499.00"`) || !strings.Contains(string(data), `"order_number":"ORD-S1"`) {
				t.Errorf("the refund event: %s", data)
			}
		})
	}
}
