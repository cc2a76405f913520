package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeFile is the vendored axe-core (testdata/axe/README.md says which
// version and how to replace it); axeSHA256 pins its content.
const (
	axeFile    = "testdata/axe/axe.min.js"
	axeVersion = "4.14.1"
	axeSHA256  = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
)

// wcagTags are the axe-core rule tags of WCAG 2.2 level AA.
var wcagTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// viewport is a screen the pages must fit.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var viewports = []viewport{{"phone", 390, 844, true}, {"desktop", 1366, 900, false}}

// walkPage is one page a role opens. main marks the pages whose screenshots
// go into screenshots/.
type walkPage struct {
	name, path string
	main       bool
}

// walkRole is a person and the pages they open ("" email: signed out).
type walkRole struct {
	role, email string
	pages       []walkPage
}

// walkRoles lists every page of every role, with claims in several states
// made on h. A new page is one more line here.
func walkRoles(t *testing.T, h *harness) []walkRole {
	t.Helper()
	submitted := h.file()
	asked := h.file()
	h.must(h.do("POST", "/api/v1/claims/"+asked+"/request-info", "rep", map[string]any{"question": "Does it charge at all?"}), 200)
	rejected := h.file()
	h.must(h.do("POST", "/api/v1/claims/"+rejected+"/reject", "rep", map[string]any{"reason_code": "user_damage",
		"note": "The frame is bent."}), 200)
	approved := h.approved()
	received := h.received()
	diagnosing := h.received()
	h.must(h.do("POST", "/api/v1/claims/"+diagnosing+"/start-diagnosis", "tech", nil), 200)
	code := h.signer().Code(received)
	h.sellerUser()
	dispute := h.escalatedDispute()

	claimPages := func(states ...string) []walkPage {
		rmas := map[string]string{"submitted": submitted, "info_requested": asked, "rejected": rejected,
			"approved": approved, "received": received, "diagnosing": diagnosing}
		var out []walkPage
		for _, s := range states {
			out = append(out, walkPage{name: "claim-" + s, path: "/claims/" + rmas[s], main: s == "approved" || s == "info_requested"})
		}
		return out
	}
	return []walkRole{
		{role: "public", pages: []walkPage{
			{"login", "/login", true}, {"signup", "/signup", false}, {"verify", "/signup/verify?token=x", false},
			{"reset", "/reset", false}, {"reset-confirm", "/reset/confirm?token=x", false}, {"track", "/track", true},
			{"label", "/s/" + code, true},
		}},
		{role: "buyer", email: "buyer@example.com", pages: append([]walkPage{
			{"claims", "/claims", true}, {"new-claim", "/claims/new", true},
			{"disputes", "/disputes", true}, {"new-dispute", "/disputes/new", false}, {"dispute", "/disputes/" + dispute, true},
		}, claimPages("submitted", "info_requested", "rejected", "approved", "received", "diagnosing")...)},
		{role: "seller", email: "seller@example.com", pages: []walkPage{{"home", "/", false},
			{"disputes", "/disputes", true}, {"dispute", "/disputes/" + dispute, true}}},
		{role: "rep", email: "rep@example.com", pages: append([]walkPage{{"queue", "/queue", true},
			{"queue-buyer", "/queue?tab=buyer", false}, {"queue-disputes", "/queue/disputes", true},
			{"dispute", "/disputes/" + dispute, true}, {"replies", "/replies", false}},
			claimPages("submitted", "info_requested", "rejected", "approved")...)},
		{role: "technician", email: "tech@example.com", pages: append([]walkPage{{"scan", "/scan", true}, {"work", "/work", true}},
			claimPages("approved", "received", "diagnosing")...)},
		{role: "admin", email: "admin@example.com", pages: append([]walkPage{
			{"dashboard", "/admin", true}, {"queue", "/queue", false}, {"centers", "/admin/centers", true},
			{"users", "/admin/users", true}, {"orders", "/admin/orders", false}, {"mail", "/admin/mail", false},
			{"queue-disputes", "/queue/disputes", false},
		}, claimPages("submitted", "received")...)},
	}
}

// sellerUser registers a seller and a seller account, seller@example.com.
func (h *harness) sellerUser() {
	h.t.Helper()
	h.must(h.do("PUT", "/api/v1/sellers/gadget-shop", "admin", map[string]any{"name": "Gadget Shop",
		"email": "shop@example.com", "language": "es", "return_address": []string{"Calle Mayor 1", "28013 Madrid"}}), 200)
	h.must(h.do("POST", "/api/v1/users", "admin", map[string]any{"email": "seller@example.com", "name": "Sam Seller",
		"password": password, "role": "seller", "seller_code": "gadget-shop"}), 201)
}

// escalatedDispute opens a dispute on an order of seller@example.com's
// shop, which the seller refuses and the buyer escalates; it returns its
// number.
func (h *harness) escalatedDispute() string {
	h.t.Helper()
	h.must(h.do("PUT", "/api/v1/orders/ORD-WALK", "admin", map[string]any{"buyer_email": "buyer@example.com",
		"buyer_name": "B", "shipping_address": []string{"a"}, "completed_at": h.clock.Now().AddDate(0, 0, -2).Format(time.RFC3339),
		"country": "DE", "product_name": "Tablet", "category": "tablet", "seller": "gadget-shop",
		"price": map[string]any{"amount": "499.00", "currency": "EUR"}}), 200)
	r := h.must(h.do("POST", "/api/v1/disputes", "buyer", map[string]any{"order_number": "ORD-WALK",
		"reason": "not_as_described", "description": "The screen is smaller than described.", "remedy": "full_refund"}), 201)
	n := r.str("dispute_number")
	sess, err := h.app.Accounts.Login(context.Background(), "seller@example.com", password)
	if err != nil {
		h.t.Fatal(err)
	}
	h.tokens["walk-seller"] = sess.Token
	h.must(h.do("POST", "/api/v1/disputes/"+n+"/refuse", "walk-seller", map[string]any{"note": "It is as described."}), 200)
	h.must(h.do("POST", "/api/v1/disputes/"+n+"/escalate", "buyer", map[string]any{"note": "It is not."}), 200)
	return n
}

// pageCheckJS measures the open page: its HTTP status, how far it is wider
// than the window, the visible elements that overlap the site header, and
// the words of table cells broken across lines.
func pageCheckJS(screenWidth int64) string {
	return strings.Replace(pageCheckSrc, "SCREEN_WIDTH", strconv.FormatInt(screenWidth, 10), 1)
}

const pageCheckSrc = `(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const header = document.getElementById("site-header");
  const out = {status: nav ? nav.responseStatus : 0, scrollWidth: document.documentElement.scrollWidth,
    innerWidth: innerWidth, overlaps: [], wide: [], broken: []};
  if (!header) { out.overlaps.push("no #site-header"); return out; }
  const h = header.getBoundingClientRect();
  // A phone zooms out, which widens innerWidth: the screen's width holds.
  const limit = SCREEN_WIDTH + 1;
  const describe = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\s+/).join(".") : "");
  for (const e of document.body.querySelectorAll("*")) {
    if (header.contains(e) || e.contains(header)) continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const s = getComputedStyle(e);
    if (s.visibility === "hidden" || s.display === "none" || s.opacity === "0") continue;
    // More than a pixel of common area: touching edges are not overlaps.
    const w = Math.min(r.right, h.right) - Math.max(r.left, h.left);
    const hh = Math.min(r.bottom, h.bottom) - Math.max(r.top, h.top);
    if (w > 1 && hh > 1) out.overlaps.push(describe(e));
    // The innermost elements reaching past the screen's width name the culprit.
    if (r.right > limit && out.wide.length < 5 &&
        ![...e.children].some(c => c.getBoundingClientRect().right > limit)) out.wide.push(describe(e) + " " + Math.round(r.right));
  }
  // Words in a table's cells that the browser split across lines (a break
  // at a hyphen is a place a word may break, so hyphens end words here).
  for (const cell of document.querySelectorAll("th, td")) {
    if (out.broken.length >= 5) break;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n && out.broken.length < 5; n = walker.nextNode()) {
      const re = /[^\s\-\u2010]+/g;
      let m;
      while ((m = re.exec(n.data)) && out.broken.length < 5) {
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        const lines = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (lines.size > 1) out.broken.push(m[0]);
      }
    }
  }
  return out;
})()`

type pageCheck struct {
	Status      int      `json:"status"`
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	Overlaps    []string `json:"overlaps"`
	Wide        []string `json:"wide"`
	Broken      []string `json:"broken"`
}

// axeViolation is one failed rule, with up to three of its elements.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func axeRunJS() string {
	tags, _ := json.Marshal(wcagTags)
	return `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]})
  .then(r => ({rules: r.passes.length + r.violations.length + r.incomplete.length,
    violations: r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + (n.failureSummary || "").split("\n").slice(1, 2).join(""))}))}))`
}

// loadAxe reads the vendored axe-core and checks it is the pinned one.
func loadAxe(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(axeFile)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(src); hex.EncodeToString(sum[:]) != axeSHA256 {
		t.Fatalf("%s is not axe-core %s (sha256 %x)", axeFile, axeVersion, sum)
	}
	if !strings.Contains(string(src[:200]), "axe v"+axeVersion) {
		t.Fatalf("%s does not say it is axe-core %s", axeFile, axeVersion)
	}
	return string(src)
}

// TestBrowserPagesHold opens every page of every role (signed out, buyer,
// seller, rep, technician, admin) at phone and desktop size in English,
// Russian and Spanish, and requires of each: an HTTP 200, nothing wider
// than the window, nothing drawn over the header, no word of a table cut
// across two lines at desktop width, and no serious or
// critical WCAG 2.2 AA violation found by axe-core. One browser serves the
// whole walk; each role has a tab of its own. With RMA_SCREENSHOTS=1 it
// also saves the view of each role's main pages in each language, at each
// size, to screenshots/phone/ and screenshots/desktop/ (README:
// "Screenshots").
func TestBrowserPagesHold(t *testing.T) {
	axeSrc := loadAxe(t)
	b := browser(t)
	h := newHarness(t, openSQLite(t))
	roles := walkRoles(t, h)
	shots := os.Getenv("RMA_SCREENSHOTS") == "1"
	widest := struct {
		width int
		where string
	}{}
	seen := map[string]int{}
	for _, r := range roles {
		t.Run(r.role, func(t *testing.T) {
			ctx := tab(t, b)
			// axe-core is added to every document the tab loads.
			run(t, ctx, chromedp.ActionFunc(func(c context.Context) error {
				_, err := page.AddScriptToEvaluateOnNewDocument(axeSrc).Do(c)
				return err
			}))
			if r.email != "" {
				signIn(t, ctx, h.srv.URL, r.email, "en")
			}
			for _, vp := range viewports {
				run(t, ctx, emulation.SetDeviceMetricsOverride(vp.width, vp.height, 1, vp.mobile))
				for _, lang := range []string{"en", "ru", "es"} {
					for _, p := range r.pages {
						where := fmt.Sprintf("%s %s %s %s (%s)", r.role, vp.name, lang, p.name, p.path)
						sep := "?"
						if strings.Contains(p.path, "?") {
							sep = "&"
						}
						run(t, ctx, chromedp.Navigate(h.srv.URL+p.path+sep+"lang="+lang))
						waitTrue(t, ctx, `document.readyState === "complete" && typeof axe === "object"`)
						var c pageCheck
						run(t, ctx, chromedp.Evaluate(pageCheckJS(vp.width), &c))
						if c.Status != 200 {
							t.Errorf("%s: HTTP %d", where, c.Status)
						}
						// A phone zooms out to show a page wider than itself,
						// which widens innerWidth with it: hold the page to the
						// screen's own width too.
						if c.ScrollWidth > c.InnerWidth || c.ScrollWidth > int(vp.width) {
							t.Errorf("%s: %d px wide in a %d px window (innerWidth %d); innermost elements past %d px: %q", where,
								c.ScrollWidth, vp.width, c.InnerWidth, vp.width, c.Wide)
						}
						if vp.name == "phone" && c.ScrollWidth >= widest.width {
							widest.width, widest.where = c.ScrollWidth, where
						}
						// On a desktop a table has room, or scrolls in its own
						// region: a word is never cut in two ("Тов/ар"). A
						// phone shows tables as cards, where a long address
						// may have to break.
						if vp.name == "desktop" && len(c.Broken) > 0 {
							t.Errorf("%s: words broken across lines in a table: %q", where, c.Broken)
						}
						if len(c.Overlaps) > 0 {
							t.Errorf("%s: over the header: %v", where, c.Overlaps)
						}
						var res struct {
							Rules      int            `json:"rules"`
							Violations []axeViolation `json:"violations"`
						}
						run(t, ctx, chromedp.Evaluate(axeRunJS(), &res, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
						if res.Rules == 0 {
							t.Errorf("%s: axe-core checked no rule", where)
						}
						for _, v := range res.Violations {
							seen[v.ID]++
							t.Errorf("%s: axe %s (%s): %s %q", where, v.ID, v.Impact, v.Help, v.Nodes)
						}
						if shots && p.main {
							viewShot(t, ctx, vp.name, lang+"-"+r.role+"-"+p.name)
						}
					}
				}
			}
		})
	}
	t.Logf("widest page at 390 px: %d px (%s); serious or critical axe findings by rule: %v", widest.width, widest.where, seen)
}

// viewShot saves the window (not the whole page) as a PNG in
// screenshots/<viewport>/.
func viewShot(t *testing.T, ctx context.Context, viewport, name string) {
	t.Helper()
	var png []byte
	run(t, ctx, chromedp.CaptureScreenshot(&png))
	dir := filepath.Join(screenshotDir, viewport)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
