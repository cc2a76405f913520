package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/app"
	"rma/internal/center"
	"rma/internal/config"
	"rma/internal/coverage"
	"rma/internal/imei"
	"rma/internal/order"
	"rma/internal/store"
	"rma/internal/store/storetest"
	"rma/internal/web"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// start: Friday 27 November 2026, 10:00 UTC.
var start = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

const password = "test-pass-123"

// Test devices with valid IMEIs.
var (
	imeiA = imei.WithCheckDigit("35209811234567")
	imeiB = imei.WithCheckDigit("35391110123456")
	imeiC = imei.WithCheckDigit("35693809876543")
	imeiD = imei.WithCheckDigit("86754203456789")
)

// harness is the whole service on a fresh database, behind a real HTTP
// server, with a user of every role signed in.
type harness struct {
	t      testing.TB
	app    *app.App
	st     *store.Store
	srv    *httptest.Server
	clock  *clock
	tokens map[string]string
	orders *int
}

func newHarness(t testing.TB, st *store.Store) *harness {
	return newHarnessWith(t, st, web.Limits{})
}

func newHarnessWith(t testing.TB, st *store.Store, limits web.Limits) *harness {
	t.Helper()
	return newHarnessEnv(t, st, limits, nil)
}

// newHarnessEnv is newHarnessWith with more configuration variables.
func newHarnessEnv(t testing.TB, st *store.Store, limits web.Limits, env map[string]string) *harness {
	t.Helper()
	vars := map[string]string{"RMA_BCRYPT_COST": "4", "RMA_DATA_DIR": t.TempDir(), "RMA_TOKEN_TTL": "720h"}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: start}
	a, err := app.Open(context.Background(), cfg, app.Options{Now: clk.Now, Store: st, Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	h := &harness{t: t, app: a, st: st, clock: clk, tokens: map[string]string{}, orders: new(int)}
	h.srv = httptest.NewServer(a.Handler)
	t.Cleanup(h.srv.Close)
	h.seed()
	return h
}

func (h *harness) seed() {
	ctx := context.Background()
	for _, c := range []center.Center{
		{Code: "BER", Name: "Berlin", Country: "DE", TimeZone: "Europe/Berlin", Address: []string{"Storkower Str. 140", "10407 Berlin"},
			Serves: []string{"DE", "AT"}},
		{Code: "MAD", Name: "Madrid", Country: "ES", TimeZone: "Europe/Madrid", Address: []string{"Calle de Alcalá 250", "28027 Madrid"},
			Serves: []string{"ES"}},
	} {
		if _, _, err := h.app.Centers.Put(ctx, c); err != nil {
			h.t.Fatal(err)
		}
	}
	users := []account.NewUser{
		{Email: "admin@example.com", Role: account.Admin},
		{Email: "rep@example.com", Role: account.Rep},
		{Email: "tech@example.com", Role: account.Technician, CenterCode: "BER"},
		{Email: "tech.mad@example.com", Role: account.Technician, CenterCode: "MAD"},
		{Email: "buyer@example.com", Role: account.Buyer},
		{Email: "other@example.com", Role: account.Buyer, Language: "ru"},
	}
	for _, u := range users {
		u.Name, u.Password = "Test "+string(u.Role), password
		if _, err := h.app.Accounts.Create(ctx, u); err != nil {
			h.t.Fatal(err)
		}
		s, err := h.app.Accounts.Login(ctx, u.Email, password)
		if err != nil {
			h.t.Fatal(err)
		}
		h.tokens[strings.Split(u.Email, "@")[0]] = s.Token
	}
	done := start.AddDate(0, -2, 0)
	old := start.AddDate(-3, 0, 0)
	both := []coverage.Kind{coverage.ExtendedWarranty, coverage.AccidentalDamage}
	for _, o := range []order.Order{
		{Number: "ORD-1", BuyerEmail: "buyer@example.com", CompletedAt: &done, Country: "DE", Category: "phone", IMEI: imeiA, Coverages: both},
		{Number: "ORD-2", BuyerEmail: "buyer@example.com", CompletedAt: &done, Country: "DE", Category: "laptop",
			Coverages: []coverage.Kind{coverage.ExtendedWarranty}},
		{Number: "ORD-3", BuyerEmail: "buyer@example.com", CompletedAt: &old, Country: "DE", Category: "phone", Coverages: both},
		{Number: "ORD-4", BuyerEmail: "other@example.com", CompletedAt: &done, Country: "ES", Category: "phone", Coverages: both},
		{Number: "ORD-5", BuyerEmail: "buyer@example.com", CompletedAt: &done, Country: "FR", Category: "phone", Coverages: both},
		{Number: "ORD-6", BuyerEmail: "buyer@example.com", CompletedAt: &done, Country: "DE", Category: "phone", Coverages: both},
		{Number: "ORD-7", BuyerEmail: "buyer@example.com", CompletedAt: &done, Country: "DE", Category: "laptop", Coverages: both},
	} {
		o.BuyerName, o.ShippingAddress, o.ProductName = "Test Buyer", []string{"Street 1", "Town"}, "Device"
		if _, _, err := h.app.Orders.Put(ctx, o); err != nil {
			h.t.Fatal(err)
		}
	}
}

// response is a decoded answer.
type response struct {
	Status int
	Body   map[string]any
	Raw    []byte
	Header http.Header
}

// errCode returns error.code of an error body.
func (r response) errCode() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// message returns error.message.
func (r response) message() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

// field returns error.fields[name] of an error body.
func (r response) field(name string) string {
	e, _ := r.Body["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	s, _ := f[name].(string)
	return s
}

// reason returns error.reasons[name] (or error.reason for "").
func (r response) reason(name string) string {
	e, _ := r.Body["error"].(map[string]any)
	if name == "" {
		s, _ := e["reason"].(string)
		return s
	}
	f, _ := e["reasons"].(map[string]any)
	s, _ := f[name].(string)
	return s
}

func (r response) str(key string) string {
	s, _ := r.Body[key].(string)
	return s
}

// do sends a request as who ("" for nobody); body is JSON-encoded unless it
// is a string, which is sent as it is.
func (h *harness) do(method, path, who string, body any, headers ...string) response {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+h.tokens[who])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{Status: res.StatusCode, Raw: raw, Header: res.Header}
	if len(raw) > 0 && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out.Body); err != nil {
			h.t.Fatalf("%s %s: bad JSON %q", method, path, raw)
		}
	}
	return out
}

// must fails the test unless the answer has the status.
func (h *harness) must(r response, status int) response {
	h.t.Helper()
	if r.Status != status {
		h.t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
	return r
}

// with returns the harness reporting to t (a subtest's).
func (h *harness) with(t *testing.T) *harness {
	c := *h
	c.t = t
	return &c
}

// file imports a fresh phone order for the buyer (in Germany, so routed to
// BER), files a warranty claim on it and returns its RMA number.
func (h *harness) file() string {
	h.t.Helper()
	*h.orders++
	number := fmt.Sprintf("ORD-F%d", *h.orders)
	device := imei.WithCheckDigit(fmt.Sprintf("3599990%07d", *h.orders))
	done := start.AddDate(0, -1, 0)
	if _, _, err := h.app.Orders.Put(context.Background(), order.Order{Number: number, BuyerEmail: "buyer@example.com",
		BuyerName: "Test Buyer", ShippingAddress: []string{"Street 1", "Town"}, CompletedAt: &done, Country: "DE",
		ProductName: "Phone", Category: "phone", IMEI: device, Coverages: []coverage.Kind{coverage.ExtendedWarranty}}); err != nil {
		h.t.Fatal(err)
	}
	r := h.must(h.do("POST", "/api/v1/claims", "buyer", map[string]any{"order_number": number,
		"coverage": "extended_warranty", "imei": device, "description": "It no longer turns on."}), 201)
	return r.str("rma_number")
}

// approved files a claim and has the rep approve it.
func (h *harness) approved() string {
	h.t.Helper()
	rma := h.file()
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/approve", "rep", map[string]any{"note": "ok"}), 200)
	return rma
}

// received files, approves and receives a claim at BER.
func (h *harness) received() string {
	h.t.Helper()
	rma := h.approved()
	tech, err := h.app.Accounts.Authenticate(context.Background(), h.tokens["tech"])
	if err != nil {
		h.t.Fatal(err)
	}
	if _, _, err := h.app.Claims.Receive(context.Background(), tech.Actor(), rma, ""); err != nil {
		h.t.Fatal(err)
	}
	return rma
}

// snapshot captures what a refused request must not change.
type snapshot struct {
	Claims, Events, Users, Tokens, Orders, Centers int64
	States                                         string
}

func (h *harness) snapshot() snapshot {
	h.t.Helper()
	db := h.st.DB()
	var s snapshot
	for table, n := range map[string]*int64{"claims": &s.Claims, "claim_events": &s.Events, "users": &s.Users,
		"api_tokens": &s.Tokens, "orders": &s.Orders, "centers": &s.Centers} {
		if err := db.Table(table).Count(n).Error; err != nil {
			h.t.Fatal(err)
		}
	}
	var rows []struct {
		RMANumber string
		Status    string
		Version   int
	}
	if err := db.Table("claims").Select("rma_number, status, version").Order("rma_number").Scan(&rows).Error; err != nil {
		h.t.Fatal(err)
	}
	b, _ := json.Marshal(rows)
	s.States = string(b)
	return s
}

// unchanged fails unless nothing changed since before.
func (h *harness) unchanged(before snapshot, what string) {
	h.t.Helper()
	if after := h.snapshot(); after != before {
		h.t.Errorf("%s changed the database:\nbefore %+v\nafter  %+v", what, before, after)
	}
}

// each runs fn on a fresh harness per database dialect.
func each(t *testing.T, fn func(t *testing.T, h *harness)) {
	storetest.Each(t, func(t *testing.T, st *store.Store) { fn(t, newHarness(t, st)) })
}

func openSQLite(t testing.TB) *store.Store { return storetest.Open(t, store.SQLite) }
