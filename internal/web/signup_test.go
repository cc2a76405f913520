package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"rma/internal/mail"
	"rma/internal/store"
	"rma/internal/store/storetest"
	"rma/internal/web"
)

// lastMail returns the newest e-mail kept for an address.
func (h *harness) lastMail(t *testing.T, to string) mail.Record {
	t.Helper()
	recs, err := h.app.Mailer.List(context.Background(), mail.Filter{To: to})
	if err != nil || len(recs) == 0 {
		t.Fatalf("no e-mail to %s: %v", to, err)
	}
	return recs[0]
}

var linkToken = regexp.MustCompile(`[?&]token=([A-Za-z0-9_-]+)`)

// linkToken returns the token of the link in the newest e-mail to an
// address.
func (h *harness) linkToken(t *testing.T, to string) string {
	t.Helper()
	m := linkToken.FindStringSubmatch(h.lastMail(t, to).Text)
	if m == nil {
		t.Fatalf("no link in the e-mail to %s", to)
	}
	return m[1]
}

// Sign-up and reset: the same answer for known and unknown addresses; the
// link works once, expires and cannot be forged.
func TestSignUpAndResetLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarnessWith(t, st, web.Limits{Register: web.Rate{Every: time.Second, Burst: 100}})
		h.must(h.do("PUT", "/api/v1/orders/ORD-7", "admin", map[string]any{"buyer_email": "new@example.com",
			"buyer_name": "New Buyer", "shipping_address": []string{"Street 1", "Town"}, "completed_at": "2026-10-01T10:00:00Z",
			"country": "DE", "product_name": "Laptop", "category": "laptop", "coverages": []string{"extended_warranty"}}), 200)
		signUp := func(email string) response {
			return h.must(h.do("POST", "/api/v1/auth/register", "", map[string]any{"email": email,
				"password": "long-enough-1", "name": "New Buyer", "language": "en"}), 202)
		}
		answers := map[string]string{}
		for _, email := range []string{"new@example.com", "buyer@example.com", "nobody@example.com"} {
			answers[email] = string(signUp(email).Raw)
		}
		if answers["new@example.com"] != answers["buyer@example.com"] || answers["new@example.com"] != answers["nobody@example.com"] {
			t.Errorf("sign-up answers differ: %v", answers)
		}
		if h.lastMail(t, "nobody@example.com").Text == "" || strings.Contains(h.lastMail(t, "nobody@example.com").Text, "token=") {
			t.Error("an address without orders got a link")
		}
		if !strings.Contains(h.lastMail(t, "buyer@example.com").Text, "/reset/confirm?token=") {
			t.Error("an address with an account was not offered a reset")
		}
		// A forged or altered link does nothing.
		tok := h.linkToken(t, "new@example.com")
		for _, bad := range []string{"", "forged", tok[:len(tok)-1] + "A", strings.ToUpper(tok)} {
			if bad == tok {
				continue
			}
			h.must(h.do("POST", "/api/v1/auth/verify", "", map[string]any{"token": bad}), 404)
		}
		// The link works once.
		h.must(h.do("POST", "/api/v1/auth/verify", "", map[string]any{"token": tok}), 201)
		r := h.must(h.do("POST", "/api/v1/auth/verify", "", map[string]any{"token": tok}), 404)
		if r.errCode() != "not_found" || !strings.Contains(r.message(), "link") {
			t.Errorf("second use: %s", r.Raw)
		}
		// A link expires after a day.
		signUp("new2@example.com") // no orders: inert, and says so
		h.must(h.do("PUT", "/api/v1/orders/ORD-2", "admin", map[string]any{"buyer_email": "late@example.com",
			"buyer_name": "Late", "shipping_address": []string{"Street 1", "Town"}, "completed_at": "2026-10-01T10:00:00Z",
			"country": "DE", "product_name": "Laptop", "category": "laptop", "coverages": []string{"extended_warranty"}}), 200)
		signUp("late@example.com")
		late := h.linkToken(t, "late@example.com")
		h.clock.Set(start.Add(25 * time.Hour))
		h.must(h.do("POST", "/api/v1/auth/verify", "", map[string]any{"token": late}), 404)
		h.clock.Set(start)

		// Password reset: same answer for known and unknown addresses.
		known := h.must(h.do("POST", "/api/v1/auth/password-reset", "", map[string]any{"email": "buyer@example.com"}), 202)
		unknown := h.must(h.do("POST", "/api/v1/auth/password-reset", "", map[string]any{"email": "ghost@example.com"}), 202)
		if string(known.Raw) != string(unknown.Raw) {
			t.Errorf("reset answers differ: %s %s", known.Raw, unknown.Raw)
		}
		if strings.Contains(h.lastMail(t, "ghost@example.com").Text, "token=") {
			t.Error("an unknown address got a reset link")
		}
		reset := h.linkToken(t, "buyer@example.com")
		r = h.must(h.do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]any{"token": reset, "password": "password12"}), 422)
		if r.reason("password") != "password_common" {
			t.Errorf("common password: %s", r.Raw)
		}
		h.must(h.do("GET", "/api/v1/auth/me", "buyer", nil), 200)
		h.must(h.do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]any{"token": reset, "password": "brand-new-pass-77"}), 200)
		h.must(h.do("GET", "/api/v1/auth/me", "buyer", nil), 401) // every token revoked
		h.must(h.do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]any{"token": reset, "password": "another-new-pass-88"}), 404)
		h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "buyer@example.com", "password": "brand-new-pass-77"}), 200)
		h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "buyer@example.com", "password": password}), 401)
	})
}

// The pages walk the same way: sign up, confirm by the link's button, sign
// in; forgotten password, new one by the link.
func TestSignUpAndResetPages(t *testing.T) {
	h := newHarnessWith(t, openSQLite(t), web.Limits{Register: web.Rate{Every: time.Second, Burst: 100}})
	h.must(h.do("PUT", "/api/v1/orders/ORD-7", "admin", map[string]any{"buyer_email": "page@example.com",
		"buyer_name": "Page Buyer", "shipping_address": []string{"Street 1", "Town"}, "completed_at": "2026-10-01T10:00:00Z",
		"country": "DE", "product_name": "Laptop", "category": "laptop", "coverages": []string{"extended_warranty"}}), 200)
	b := h.browserAs(t, "")
	if _, body := b.get("/login"); !strings.Contains(body, `href="/signup"`) || !strings.Contains(body, `href="/reset"`) {
		t.Error("the sign-in page links neither sign-up nor reset")
	}
	res := b.post("/signup", url.Values{"email": {"page@example.com"}, "name": {"Page Buyer"}, "password": {"lamp-rocket-2026"},
		"language": {"es"}, "_csrf": {b.token("/signup")}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign-up page: %d", res.StatusCode)
	}
	tok := h.linkToken(t, "page@example.com")
	if res, body := b.get("/signup/verify?token=" + url.QueryEscape(tok)); res.StatusCode != 200 || !strings.Contains(body, tok) {
		t.Fatalf("verify page: %d", res.StatusCode)
	}
	h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "page@example.com", "password": "lamp-rocket-2026"}), 401)
	res = b.post("/signup/verify", url.Values{"token": {tok}, "_csrf": {b.token("/signup/verify?token=" + tok)}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?done=account_created" {
		t.Fatalf("confirm: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "page@example.com", "password": "lamp-rocket-2026"}), 200)
	res = b.post("/signup/verify", url.Values{"token": {tok}, "_csrf": {b.token("/signup/verify?token=" + tok)}})
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("second confirmation: %d", res.StatusCode)
	}
	res = b.post("/reset", url.Values{"email": {"page@example.com"}, "_csrf": {b.token("/reset")}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("reset page: %d", res.StatusCode)
	}
	tok = h.linkToken(t, "page@example.com")
	res = b.post("/reset/confirm", url.Values{"token": {tok}, "password": {"qwertyuiop1"}, "_csrf": {b.token("/reset/confirm?token=" + tok)}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a common password on the page: %d", res.StatusCode)
	}
	res = b.post("/reset/confirm", url.Values{"token": {tok}, "password": {"lamp-rocket-2027"}, "_csrf": {b.token("/reset/confirm?token=" + tok)}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?done=password_changed" {
		t.Errorf("new password: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "page@example.com", "password": "lamp-rocket-2027"}), 200)
}
