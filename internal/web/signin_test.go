package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"rma/internal/web"
)

// TestSignInRedirectStaysOnThisSite: the page after sign-in comes from the
// form's "next"; anything that leaves the site sends the user home instead.
func TestSignInRedirectStaysOnThisSite(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	b := h.browserAs(t, "")
	for next, want := range map[string]string{
		"/claims/new?order=ORD-1":     "/claims/new?order=ORD-1",
		"":                            "/",
		"//evil.example":              "/",
		"//evil.example/claims":       "/",
		"https://evil.example/":       "/",
		"/\\evil.example":             "/",
		"\\\\evil.example":            "/",
		"javascript:alert(1)":         "/",
		"evil.example/claims":         "/",
		"/track?next=//evil.example/": "/track?next=//evil.example/",
	} {
		tok := b.token("/login")
		res := b.post("/login", url.Values{"email": {"buyer@example.com"}, "password": {password}, "_csrf": {tok},
			"next": {next}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("next %q: %d to %q, want %q", next, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
}

// TestSignInPageIsRateLimited: the form shares the API's bucket per client
// address and e-mail.
func TestSignInPageIsRateLimited(t *testing.T) {
	h := newHarnessWith(t, openSQLite(t), web.Limits{Login: web.Rate{Every: time.Hour, Burst: 3},
		Register: web.Rate{Every: time.Hour, Burst: 3}, Track: web.Rate{Every: time.Hour, Burst: 3}})
	b := h.browserAs(t, "")
	try := func(email, pw string) int {
		t.Helper()
		tok := b.token("/login")
		return b.post("/login", url.Values{"email": {email}, "password": {pw}, "_csrf": {tok}}).StatusCode
	}
	for i := 0; i < 3; i++ {
		if got := try("buyer@example.com", "wrong-password-1"); got != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, got)
		}
	}
	if got := try("Buyer@Example.com ", "wrong-password-1"); got != http.StatusTooManyRequests {
		t.Errorf("fourth attempt: %d, want 429", got)
	}
	if got := try("buyer@example.com", password); got != http.StatusTooManyRequests {
		t.Errorf("right password while limited: %d, want 429", got)
	}
	// The API sees the same bucket.
	h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "buyer@example.com", "password": password}), 429)
	if got := try("rep@example.com", password); got != http.StatusSeeOther {
		t.Errorf("another account from the same address: %d", got)
	}
}

// TestQueueSearchAndCountryFilter: the rep's queue page passes its search
// and country filter down to the list.
func TestQueueSearchAndCountryFilter(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	de := h.file()
	r := h.must(h.do("POST", "/api/v1/claims", "other", map[string]any{"order_number": "ORD-4",
		"coverage": "extended_warranty", "imei": imeiB, "description": "No enciende desde ayer."}), 201)
	es := r.str("rma_number")
	rep := h.browserAs(t, "rep@example.com")
	for query, want := range map[string]string{
		"":           de + " " + es,
		"country=ES": es,
		"country=de": de,
		"country=FR": "",
		"q=" + url.QueryEscape(strings.ToLower(de)): de,
		"q=" + imeiB:                    es,
		"q=other%40example.com":         es,
		"q=ORD-4&country=ES":            es,
		"q=ORD-4&country=DE":            "",
		"q=" + de + "&status=cancelled": "",
	} {
		res, body := rep.get("/queue?" + query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("/queue?%s: %d", query, res.StatusCode)
		}
		for _, rma := range []string{de, es} {
			row := `href="/claims/` + rma + `"`
			if shown, wanted := strings.Contains(body, row), strings.Contains(want, rma); shown != wanted {
				t.Errorf("/queue?%s shows %s: %v, want %v", query, rma, shown, wanted)
			}
		}
	}
}
