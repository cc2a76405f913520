package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rma/internal/i18n"
)

// TestScanStationKeepsTheScanner: after a click on each control of the scan
// page (the device check, the camera, the receive button, the page itself)
// a scanner's keystrokes still reach the code field and receive the device,
// with a device card; the camera, absent here, says so in words; a repeated
// scan shows apart.
func TestScanStationKeepsTheScanner(t *testing.T) {
	b := browser(t)
	// Close the browser and wait for it before its profile directory is
	// removed, which it may still be writing to otherwise.
	t.Cleanup(func() { _ = chromedp.Cancel(b) })
	cat, _ := i18n.New()
	h := newHarness(t, openSQLite(t))
	h.clock.Set(time.Now().UTC())
	tech := tab(t, b)
	signIn(t, tech, h.srv.URL, "tech@example.com", "en")
	received := cat.T("en", "scan.received", nil)
	var last string
	for _, control := range []string{"#device-check summary", "#camera-button", "#receive-button", "h1", "#code-hint"} {
		rma := h.approved()
		code := h.signer().Code(rma)
		if control == "#receive-button" {
			code = h.signer().URL(rma) // the QR text works the same
		}
		run(t, tech, chromedp.Navigate(h.srv.URL+"/scan"), chromedp.WaitVisible("#code", chromedp.ByQuery),
			chromedp.Click(control, chromedp.ByQuery))
		if control == "#camera-button" {
			var msg string
			run(t, tech, chromedp.WaitVisible("#camera-error", chromedp.ByQuery),
				chromedp.Evaluate(textJS("#camera-error"), &msg))
			if msg == "" || strings.Contains(msg, "scan.") {
				t.Errorf("camera error %q", msg)
			}
		}
		// A scanner types fast and presses Enter, wherever the focus is.
		run(t, tech, chromedp.KeyEvent(code+kb.Enter))
		waitTrue(t, tech, `(() => { const r = document.querySelector(".scan-result.ok:not(.repeat)"); return !!r && r.textContent.includes(`+
			jsString(received)+`) && r.textContent.includes(`+jsString(rma)+`); })()`)
		// Read by script, not by node: the page may be swapped under a node
		// id between two protocol calls.
		var card string
		run(t, tech, chromedp.Evaluate(textJS("#device-card"), &card))
		if !strings.Contains(card, "It no longer turns on.") || !strings.Contains(card, "Phone") {
			t.Errorf("after %s: device card %q", control, card)
		}
		last = code
	}
	shot(t, tech, "en-tech-scan-card")
	// The same label again: amber, "already received".
	run(t, tech, chromedp.Click("h1", chromedp.ByQuery), chromedp.KeyEvent(last+kb.Enter))
	waitTrue(t, tech, `(() => { const r = document.querySelector(".scan-result.repeat"); return !!r && r.textContent.includes(`+
		jsString(cat.T("en", "scan.already", nil))+`); })()`)
	// Amber (#f0b429) once the page's style sheet is in.
	waitTrue(t, tech, `document.readyState === "complete" && getComputedStyle(document.querySelector(".scan-result")).backgroundColor === "rgb(240, 180, 41)"`)
	shot(t, tech, "en-tech-scan-repeat")
}
