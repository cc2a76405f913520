package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"rma/internal/web"
)

// An admin's suspension stops the user's API token and page session at
// once; reactivation lets them sign in again.
func TestSuspendedUserIsOutAtOnce(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		me := h.must(h.do("GET", "/api/v1/auth/me", "buyer", nil), 200)
		id := me.str("id")
		page := h.browserAs(t, "buyer@example.com")
		if res, _ := page.get("/claims"); res.StatusCode != 200 {
			t.Fatalf("page before: %d", res.StatusCode)
		}
		h.must(h.do("POST", "/api/v1/users/"+id+"/suspend", "rep", nil), 403)
		adminID := h.must(h.do("GET", "/api/v1/auth/me", "admin", nil), 200).str("id")
		if r := h.must(h.do("POST", "/api/v1/users/"+adminID+"/suspend", "admin", nil), 409); r.errCode() != "conflict" {
			t.Errorf("self-suspension: %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/users/01NOSUCHUSER0000000000000/suspend", "admin", nil), 404)
		if r := h.must(h.do("POST", "/api/v1/users/"+id+"/suspend", "admin", nil), 200); r.str("status") != "suspended" {
			t.Errorf("answer %s", r.Raw)
		}
		h.must(h.do("GET", "/api/v1/auth/me", "buyer", nil), 401)
		if res, _ := page.get("/claims"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("page session after suspension: %d", res.StatusCode)
		}
		r := h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "buyer@example.com", "password": password}), 403)
		if e, _ := r.Body["error"].(map[string]any); e["reason"] != "login_suspended" || r.errCode() != "forbidden" {
			t.Errorf("login while suspended: %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/users/"+id+"/activate", "admin", nil), 200)
		h.must(h.do("GET", "/api/v1/auth/me", "buyer", nil), 401) // old tokens stay revoked
		h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "buyer@example.com", "password": password}), 200)
	})
}

// /livez is the process; /readyz reports each part; /metrics is served only
// to the metrics token's bearers and exposes the series of the issue.
func TestHealthAndMetrics(t *testing.T) {
	const token = "metrics-token-0123456789"
	h, logs := newHarnessLogged(t, openSQLite(t), web.Limits{}, map[string]string{"RMA_METRICS_TOKEN": token})
	h.must(h.do("GET", "/livez", "", nil), 200)
	r := h.must(h.do("GET", "/readyz", "", nil), 200)
	checks, _ := r.Body["checks"].(map[string]any)
	part := func(name string) string {
		m, _ := checks[name].(map[string]any)
		s, _ := m["status"].(string)
		return s
	}
	if r.str("status") != "degraded" || part("database") != "ok" || part("redis") != "ok" || part("worker") != "down" {
		t.Errorf("readyz without a worker: %s", r.Raw)
	}
	h.must(h.do("GET", "/healthz", "", nil), 200)

	w := h.app.NewWorker()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer w.Shutdown()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r = h.must(h.do("GET", "/readyz", "", nil), 200)
		checks, _ = r.Body["checks"].(map[string]any)
		if part("worker") == "ok" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the worker's heartbeat never showed: %s", r.Raw)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r.str("status") != "ok" {
		t.Errorf("readyz with a worker: %s", r.Raw)
	}

	h.file()
	h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "buyer@example.com", "password": "wrong-password-1"}), 401)
	h.must(h.do("GET", "/metrics", "", nil), 401)
	h.must(h.do("GET", "/metrics", "", nil, "Authorization", "Bearer wrong-token-000000000"), 401)
	req, _ := http.NewRequest("GET", h.srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	text := string(body)
	for _, want := range []string{
		`rma_http_requests_total{method="POST",route="/api/v1/claims",status="201"}`,
		`rma_http_requests_total{method="POST",route="/api/v1/auth/login",status="401"}`,
		`rma_http_request_duration_seconds_bucket{route="/api/v1/claims"`,
		`rma_security_events_total{event="login_failed"} 1`,
		`rma_jobs{kind="notify",state=`,
		`rma_queue_tasks{queue="`,
		`rma_promises{kind="answer",state="open"} 1`,
		`rma_promises{kind="return",state="broken"} 0`,
		`rma_scrape_errors{series="mail"} 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %s in /metrics", want)
		}
	}
	if testing.Verbose() {
		t.Log(text)
	}
	if strings.Contains(text, "RMA-") || strings.Contains(text, "@example.com") {
		t.Error("/metrics holds personal data")
	}
	access := logs.lines("access")
	found := false
	for _, l := range access {
		if l["route"] == "/api/v1/claims" && l["method"] == "POST" && l["status"] == float64(201) &&
			l["request_id"] != "" && l["duration_ms"] != nil {
			found = true
		}
	}
	if !found {
		t.Errorf("no access line for the filed claim among %d", len(access))
	}
	r = h.do("GET", "/livez", "", nil, "X-Request-ID", "abc-123")
	if r.Header.Get("X-Request-ID") != "abc-123" {
		t.Errorf("request id not echoed: %q", r.Header.Get("X-Request-ID"))
	}
}

// The users page suspends and reactivates with a button; the suspended
// buyer's session stops at once.
func TestUsersPageSuspends(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	buyer := h.browserAs(t, "buyer@example.com")
	admin := h.browserAs(t, "admin@example.com")
	id := h.must(h.do("GET", "/api/v1/auth/me", "buyer", nil), 200).str("id")
	_, body := admin.get("/admin/users")
	if !strings.Contains(body, `action="/admin/users/`+id+`/suspend"`) {
		t.Fatal("no suspend button for the buyer")
	}
	res := admin.post("/admin/users/"+id+"/suspend", map[string][]string{"_csrf": {admin.token("/admin/users")}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/users?done=user_suspended" {
		t.Fatalf("suspend: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := buyer.get("/claims"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the suspended buyer's session: %d", res.StatusCode)
	}
	if _, body := admin.get("/admin/users"); !strings.Contains(body, `action="/admin/users/`+id+`/activate"`) {
		t.Error("no reactivate button")
	}
	res = admin.post("/admin/users/"+id+"/activate", map[string][]string{"_csrf": {admin.token("/admin/users")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("activate: %d", res.StatusCode)
	}
}
