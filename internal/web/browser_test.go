package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"rma/internal/i18n"
	"rma/internal/testenv"
)

// screenshotDir is where the browser tests leave pictures of the pages
// (README: "screenshots/").
var screenshotDir = filepath.Join("..", "..", "screenshots")

// browser starts Debian's Chromium headless; each user gets a browser
// context of their own (separate cookies).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := testenv.Tool(t, "chromium", "chromium")
	profile := t.TempDir()
	// Cleanups run last first: this one runs after the browser is closed
	// and before the profile directory is removed.
	t.Cleanup(func() { awaitExit(t, profile) })
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 1000))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	// Errors of the protocol client (events newer than it knows) go to the
	// test log.
	ctx, cancelCtx := chromedp.NewContext(alloc, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelCtx)
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// tab opens a tab in a fresh browser context that accepts confirm dialogs.
func tab(t *testing.T, b context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first Run opens the tab; it must run on the tab's own context, or
	// the tab would close with a shorter-lived one.
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	chromedp.ListenTarget(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			go func() { _ = chromedp.Run(ctx, page.HandleJavaScriptDialog(true)) }()
		}
	})
	return ctx
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	// The limit only stops a hung step; it asserts no speed. Under a load
	// of dozens of processes on two cores a fresh tab's first page took
	// more than 30 s once in 20 walk-throughs.
	tctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Run(tctx, actions...); err != nil {
		var body string
		_ = chromedp.Run(ctx, chromedp.Evaluate(textJS("body"), &body))
		t.Fatalf("browser: %v\npage text: %.1500s", err, body)
	}
}

// textJS reads the visible text of the first element matching selector by
// script: unlike a read by node id, it cannot fail because the page swapped
// the node between two protocol calls.
func textJS(selector string) string {
	return `(() => { const e = document.querySelector(` + jsString(selector) + `); return e ? e.innerText : ""; })()`
}

func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	run(t, ctx, chromedp.FullScreenshot(&png, 100)) // 100: PNG
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func signIn(t *testing.T, ctx context.Context, base, email, lang string) {
	t.Helper()
	run(t, ctx, chromedp.Navigate(base+"/login?lang="+lang),
		chromedp.SendKeys("#email", email, chromedp.ByQuery),
		chromedp.SendKeys("#password", password, chromedp.ByQuery),
		chromedp.Submit("#password", chromedp.ByQuery))
	// Wait until the sign-in has landed: navigating away while its answer
	// is loading would abort it.
	waitTrue(t, ctx, `location.pathname !== "/login" && document.readyState === "complete"`)
}

var keyLike = regexp.MustCompile(`\b[a-z]+(_[a-z]+)*\.[a-z_]+\b`)

// untranslated returns English catalogue texts and message keys found in a
// page that should speak lang.
func untranslated(t *testing.T, ctx context.Context, cat *i18n.Catalog, lang string) []string {
	t.Helper()
	var text string
	run(t, ctx, chromedp.Evaluate(textJS("body"), &text))
	var found []string
	for _, m := range keyLike.FindAllString(text, -1) {
		if cat.Has(m) {
			found = append(found, "key "+m)
		}
	}
	for _, key := range cat.Keys("en") {
		en, local := cat.T("en", key, nil), cat.T(lang, key, nil)
		if en != local && len(en) >= 12 && strings.Contains(en, " ") && !strings.Contains(en, "{{") && strings.Contains(text, en) {
			found = append(found, "english "+key+": "+en)
		}
	}
	return found
}

// TestBrowserWalkthrough: a buyer files a claim from an order number, a rep
// approves it from the queue, the buyer downloads the slip, a technician
// types the slip's code into the scan station as a scanner would, a second
// scan says it was already received, and the buyer's open page shows the
// receipt without reloading. In English, Russian and Spanish, with no
// untranslated text in the latter two.
func TestBrowserWalkthrough(t *testing.T) {
	b := browser(t)
	cat, _ := i18n.New()
	descriptions := map[string]string{"en": "The screen went black after an update.",
		"ru": "Экран погас после обновления.", "es": "La pantalla se quedó negra tras una actualización."}
	for _, lang := range []string{"en", "ru", "es"} {
		t.Run(lang, func(t *testing.T) {
			// The service runs on the harness's fixed clock (the orders
			// are dated from it), whatever today's date.
			h := newHarness(t, openSQLite(t))
			base := h.srv.URL
			check := func(ctx context.Context, where string) {
				if lang == "en" {
					return
				}
				if bad := untranslated(t, ctx, cat, lang); len(bad) > 0 {
					t.Errorf("%s page %s has untranslated text: %q", lang, where, bad)
				}
			}

			buyer := tab(t, b)
			signIn(t, buyer, base, "buyer@example.com", lang)
			run(t, buyer, chromedp.Navigate(base+"/claims/new"), chromedp.WaitVisible("#order", chromedp.ByQuery),
				chromedp.SendKeys("#order", "ORD-1", chromedp.ByQuery), chromedp.Submit("#order", chromedp.ByQuery),
				chromedp.WaitVisible(`input[name=coverage][value=extended_warranty]`, chromedp.ByQuery))
			check(buyer, "new claim")
			shot(t, buyer, lang+"-buyer-new-claim")
			run(t, buyer, chromedp.Click(`input[name=coverage][value=extended_warranty]`, chromedp.ByQuery),
				chromedp.SendKeys("#imei", imeiA, chromedp.ByQuery),
				chromedp.SendKeys("#description", descriptions[lang], chromedp.ByQuery),
				chromedp.Submit("#description", chromedp.ByQuery),
				chromedp.WaitVisible("h1.rma", chromedp.ByQuery))
			var rma string
			run(t, buyer, chromedp.Evaluate(textJS("h1.rma"), &rma))
			if !strings.HasPrefix(rma, "RMA-") {
				t.Fatalf("no RMA number on the claim page: %q", rma)
			}
			check(buyer, "claim")
			shot(t, buyer, lang+"-buyer-claim")

			rep := tab(t, b)
			signIn(t, rep, base, "rep@example.com", lang)
			run(t, rep, chromedp.Navigate(base+"/queue"), chromedp.WaitVisible(`a[href="/claims/`+rma+`"]`, chromedp.ByQuery))
			check(rep, "queue")
			shot(t, rep, lang+"-rep-queue")
			run(t, rep, chromedp.Click(`a[href="/claims/`+rma+`"]`, chromedp.ByQuery),
				chromedp.WaitVisible(`form[action$="/approve"]`, chromedp.ByQuery))
			check(rep, "review")
			shot(t, rep, lang+"-rep-review")
			run(t, rep, chromedp.Submit(`form[action$="/approve"] button`, chromedp.ByQuery),
				chromedp.WaitVisible(".flash.ok", chromedp.ByQuery))

			// The buyer's page learns of the approval by itself and offers the slip.
			run(t, buyer, chromedp.WaitVisible(`a[href$="slip.pdf?format=a4"]`, chromedp.ByQuery))
			var slip string
			run(t, buyer, chromedp.Evaluate(`fetch("/claims/`+rma+`/slip.pdf?format=a4").then(r => r.ok && r.headers.get("Content-Type") === "application/pdf" ? r.arrayBuffer() : Promise.reject(r.status)).then(b => { let s = ""; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`,
				&slip, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
			pdf, err := base64.StdEncoding.DecodeString(slip)
			if err != nil || len(pdf) < 1000 {
				t.Fatalf("slip download: %v (%d bytes)", err, len(pdf))
			}
			code := qrText(t, pdf)

			tech := tab(t, b)
			signIn(t, tech, base, "tech@example.com", lang)
			run(t, tech, chromedp.Navigate(base+"/scan"), chromedp.WaitVisible("#code", chromedp.ByQuery))
			var focused bool
			run(t, tech, chromedp.Evaluate(`document.activeElement && document.activeElement.id === "code"`, &focused))
			if !focused {
				t.Error("the scan field is not focused")
			}
			run(t, tech, chromedp.SendKeys("#code", code+"\n", chromedp.ByQuery),
				chromedp.WaitVisible(".scan-result.ok", chromedp.ByQuery))
			var result string
			run(t, tech, chromedp.Evaluate(textJS(".scan-result"), &result))
			if !strings.Contains(result, cat.T(lang, "scan.received", nil)) || !strings.Contains(result, rma) {
				t.Errorf("first scan: %q", result)
			}
			check(tech, "scan")
			shot(t, tech, lang+"-tech-scan")
			// The second scan loads a new page: wait for its banner, not the old one.
			already := cat.T(lang, "scan.already", nil)
			run(t, tech, chromedp.SendKeys("#code", code+"\n", chromedp.ByQuery))
			waitTrue(t, tech, `(() => { const r = document.querySelector(".scan-result.ok"); return !!r && r.textContent.includes(`+
				jsString(already)+`); })()`)

			// Without a reload, the buyer's page now says received.
			want := cat.T(lang, "status.received", nil)
			run(t, buyer, chromedp.Poll(`document.getElementById("status").textContent.trim() === `+jsString(want), nil,
				chromedp.WithPollingTimeout(15*time.Second)))
			shot(t, buyer, lang+"-buyer-received")

			run(t, tech, chromedp.Navigate(base+"/work"), chromedp.WaitVisible(`a[href="/claims/`+rma+`"]`, chromedp.ByQuery))
			check(tech, "work queue")
			shot(t, tech, lang+"-tech-work")

			admin := tab(t, b)
			signIn(t, admin, base, "admin@example.com", lang)
			run(t, admin, chromedp.Navigate(base+"/admin"), chromedp.WaitVisible("svg.chart", chromedp.ByQuery))
			check(admin, "dashboard")
			shot(t, admin, lang+"-admin-dashboard")
			run(t, admin, chromedp.Navigate(base+"/admin/orders"), chromedp.WaitVisible("#file", chromedp.ByQuery))
			check(admin, "order import")

			anon := tab(t, b)
			run(t, anon, chromedp.Navigate(base+"/s/"+code[strings.LastIndex(code, "/s/")+3:]+"?lang="+lang),
				chromedp.WaitVisible("#status", chromedp.ByQuery))
			check(anon, "label link")
			shot(t, anon, lang+"-public-tracking")
		})
	}
}

// waitTrue evaluates js until it is true, through page loads (an
// evaluation during a navigation fails and is tried again).
func waitTrue(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute) // a hang guard, as in run
	for time.Now().Before(deadline) {
		var ok bool
		tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := chromedp.Run(tctx, chromedp.Evaluate(js, &ok))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", js)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
