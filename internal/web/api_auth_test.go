package web_test

import (
	"strings"
	"testing"
	"time"

	"rma/internal/web"
)

func TestLoginLogoutAndMe(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		r := h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": " Buyer@Example.com ", "password": password}), 200)
		tok := r.str("token")
		user, _ := r.Body["user"].(map[string]any)
		if len(tok) < 40 || user["role"] != "buyer" || user["email"] != "buyer@example.com" || r.str("expires_at") == "" {
			t.Fatalf("login answer %s", r.Raw)
		}
		h.tokens["fresh"] = tok
		h.must(h.do("GET", "/api/v1/auth/me", "fresh", nil), 200)
		h.must(h.do("POST", "/api/v1/auth/logout", "fresh", nil), 204)
		if r := h.do("GET", "/api/v1/auth/me", "fresh", nil); r.Status != 401 || r.errCode() != "unauthenticated" {
			t.Errorf("token still works after logout: %d %s", r.Status, r.Raw)
		}
		// Only the hash of a token is stored.
		var n int64
		h.st.DB().Table("api_tokens").Where("token_hash = ?", tok).Count(&n)
		if n != 0 {
			t.Error("a token is stored in clear")
		}
	})
}

func TestLoginRefusals(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		for _, body := range []map[string]any{
			{"email": "buyer@example.com", "password": "wrong-password-1"},
			{"email": "nobody@example.com", "password": password},
		} {
			r := h.must(h.do("POST", "/api/v1/auth/login", "", body), 401)
			if r.errCode() != "unauthenticated" || !strings.Contains(r.message(), "password") {
				t.Errorf("answer %s", r.Raw)
			}
		}
		h.must(h.do("POST", "/api/v1/auth/login", "", `{"email":`), 400)
		if r := h.do("GET", "/api/v1/auth/me", "", nil); r.Status != 401 {
			t.Errorf("no token: %d", r.Status)
		}
		h.tokens["forged"] = "not-a-token"
		h.must(h.do("GET", "/api/v1/auth/me", "forged", nil), 401)
	})
}

func TestTokensExpire(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.must(h.do("GET", "/api/v1/auth/me", "buyer", nil), 200)
		h.clock.Set(start.Add(721 * time.Hour))
		h.must(h.do("GET", "/api/v1/auth/me", "buyer", nil), 401)
	})
}

func TestLoginIsRateLimited(t *testing.T) {
	h := newHarnessWith(t, openSQLite(t), web.Limits{Login: web.Rate{Every: time.Hour, Burst: 3},
		Register: web.Rate{Every: time.Hour, Burst: 3}, Track: web.Rate{Every: time.Hour, Burst: 3}})
	body := map[string]any{"email": "buyer@example.com", "password": "wrong-password-1"}
	for i := 0; i < 3; i++ {
		h.must(h.do("POST", "/api/v1/auth/login", "", body), 401)
	}
	r := h.must(h.do("POST", "/api/v1/auth/login", "", body), 429)
	if r.errCode() != "rate_limited" || r.Header.Get("Retry-After") == "" {
		t.Errorf("answer %s", r.Raw)
	}
	// Even the right password is refused until the bucket refills.
	body["password"] = password
	h.must(h.do("POST", "/api/v1/auth/login", "", body), 429)
	// Another account from the same address is not locked out.
	h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "rep@example.com", "password": password}), 200)
}

func TestRegister(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		// ORD-7 names a buyer without an account.
		h.must(h.do("PUT", "/api/v1/orders/ORD-7", "admin", map[string]any{"buyer_email": "new@example.com",
			"buyer_name": "New Buyer", "shipping_address": []string{"Calle Peña 3", "Málaga"}, "completed_at": "2026-10-01T10:00:00Z",
			"country": "ES", "product_name": "Phone", "category": "phone", "coverages": []string{"extended_warranty"}}), 200)
		before := h.snapshot()
		r := h.must(h.do("POST", "/api/v1/auth/register", "", map[string]any{"email": "new@example.com", "password": "short",
			"name": "New", "language": "es"}), 422)
		if r.reason("password") != "password_too_short" || !strings.Contains(r.field("password"), "10") {
			t.Errorf("weak password: %s", r.Raw)
		}
		// Registration proves the address first: an address
		// without orders gets the same answer as one with orders, and an
		// e-mail saying why no account was made.
		stranger := h.must(h.do("POST", "/api/v1/auth/register", "", map[string]any{"email": "stranger@example.com",
			"password": "long-enough-1", "name": "S", "language": "en"}), 202)
		if !strings.Contains(h.lastMail(t, "stranger@example.com").Text, "no order") {
			t.Errorf("no orders: no letter saying so")
		}
		h.unchanged(before, "refused registrations")
		r = h.must(h.do("POST", "/api/v1/auth/register", "", map[string]any{"email": "new@example.com",
			"password": "long-enough-1", "name": "New Buyer", "language": "es"}), 202)
		if string(r.Raw) != string(stranger.Raw) {
			t.Errorf("answers differ: %s and %s", r.Raw, stranger.Raw)
		}
		h.unchanged(before, "a registration not yet confirmed")
		h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "new@example.com", "password": "long-enough-1"}), 401)
		r = h.must(h.do("POST", "/api/v1/auth/verify", "", map[string]any{"token": h.linkToken(t, "new@example.com")}), 201)
		if r.str("role") != "buyer" || r.str("language") != "es" {
			t.Errorf("registered %s", r.Raw)
		}
		again := h.must(h.do("POST", "/api/v1/auth/register", "", map[string]any{"email": "new@example.com",
			"password": "long-enough-1", "name": "New Buyer", "language": "es"}), 202)
		if string(again.Raw) != string(stranger.Raw) {
			t.Errorf("a taken address answers differently: %s", again.Raw)
		}
		h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "new@example.com", "password": "long-enough-1"}), 200)
	})
}

func TestAdminCreatesUsers(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		body := map[string]any{"email": "t2@example.com", "name": "Tech Two", "password": "long-enough-1",
			"role": "technician", "language": "ru", "center_code": "mad"}
		h.must(h.do("POST", "/api/v1/users", "", body), 401)
		h.must(h.do("POST", "/api/v1/users", "rep", body), 403)
		before := h.snapshot()
		bad := map[string]any{"email": "t2@example.com", "name": "Tech Two", "password": "long-enough-1",
			"role": "technician", "language": "fr", "center_code": "NOPE"}
		r := h.must(h.do("POST", "/api/v1/users", "admin", bad), 422)
		if r.reason("language") != "language_invalid" || r.reason("center_code") != "center_unknown" {
			t.Errorf("answer %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/users", "admin", map[string]any{"email": "x@example.com", "name": "X",
			"password": "long-enough-1", "role": "superuser"}), 422)
		h.unchanged(before, "refused user creation")
		r = h.must(h.do("POST", "/api/v1/users", "admin", body), 201)
		if r.str("center_code") != "MAD" || r.str("role") != "technician" {
			t.Errorf("created %s", r.Raw)
		}
	})
}
