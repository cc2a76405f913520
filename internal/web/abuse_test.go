package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"gorm.io/gorm"

	"rma/internal/app"
	"rma/internal/config"
	"rma/internal/store"
	"rma/internal/store/storetest"
	"rma/internal/web"
)

// syncBuffer is a log sink tests read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// lines returns the JSON log lines whose "log" attribute is kind.
func (s *syncBuffer) lines(kind string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(s.b.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["log"] == kind {
			out = append(out, m)
		}
	}
	return out
}

// newHarnessLogged is newHarnessWith with extra configuration and a JSON log
// the test reads.
func newHarnessLogged(t *testing.T, st *store.Store, limits web.Limits, vars map[string]string) (*harness, *syncBuffer) {
	t.Helper()
	all := map[string]string{"RMA_BCRYPT_COST": "4", "RMA_DATA_DIR": t.TempDir(), "RMA_TOKEN_TTL": "720h"}
	for k, v := range vars {
		all[k] = v
	}
	cfg, err := config.Load(func(k string) string { return all[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	clk := &clock{t: start}
	a, err := app.Open(context.Background(), cfg, app.Options{Now: clk.Now, Store: st, Limits: limits,
		Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	h := &harness{t: t, app: a, st: st, clock: clk, tokens: map[string]string{}, orders: new(int)}
	h.srv = httptest.NewServer(a.Handler)
	t.Cleanup(h.srv.Close)
	h.seed()
	return h, logs
}

// Variants of an address that the users table's collation matches (case,
// accents, zero-width characters, full-width letters) share one login
// limit, on both databases.
func TestLoginLimitCoversVariantsOfTheAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarnessWith(t, st, web.Limits{Login: web.Rate{Every: time.Hour, Burst: 3}})
		for i := 0; i < 3; i++ {
			h.must(h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "buyer@example.com", "password": "wrong-password-1"}), 401)
		}
		for _, v := range []string{"BUYER@example.com", "büyer@example.com", "BÜYER@EXAMPLE.COM", "bu\u0308yer@example.com",
			"buy\u200ber@example.com", "\u200bbuyer@example.com", "buy\u00ader@example.com", "ｂuyer@example.com", " buyer@example.com "} {
			r := h.do("POST", "/api/v1/auth/login", "", map[string]any{"email": v, "password": password})
			if r.Status != 429 {
				t.Errorf("%q: %d %s", v, r.Status, r.Raw)
			}
		}
	})
}

// 300 logins with an e-mail of almost 1 MB leave the process's heap where
// it was: the limiter keeps fixed-size hashes, not what was typed.
func TestOversizedLoginsDoNotGrowMemory(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	big := strings.Repeat("a", 1<<20-200) + "@example.com"
	body, _ := json.Marshal(map[string]any{"email": big, "password": "x"})
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for i := 0; i < 300; i++ {
		b := bytes.Replace(body, []byte(`"aaaa`), []byte(fmt.Sprintf(`"%04d`, i)), 1) // 300 different keys
		r := h.do("POST", "/api/v1/auth/login", "", string(b))
		if r.Status != 401 && r.Status != 429 {
			t.Fatalf("answer %d %s", r.Status, r.Raw)
		}
	}
	grew := int64(heap()) - int64(before)
	if grew > 8<<20 {
		t.Errorf("the heap grew by %d MB over 300 oversized logins", grew>>20)
	}
	t.Logf("heap after 300 oversized logins: %+.1f MB", float64(grew)/(1<<20))
}

// endless yields a multipart body that never ends, counting what was read.
type endless struct {
	mu   sync.Mutex
	read int64
	head []byte
}

func (e *endless) Read(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := copy(p, e.head)
	e.head = e.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = 'x'
	}
	e.read += int64(len(p))
	if e.read > 300<<20 {
		return len(p), io.EOF
	}
	return len(p), nil
}

// A 300 MB POST to a page (declared or streamed) is refused without a byte
// reaching the temporary directory.
func TestHugePostsAreRefusedBeforeTheDisk(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	head := "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n"
	for _, path := range []string{"/login", "/track", "/admin/orders", "/claims/new", "/nowhere", "/api/v1/auth/login"} {
		for _, declared := range []bool{true, false} {
			body := &endless{head: []byte(head)}
			req, _ := http.NewRequest("POST", h.srv.URL+path, body)
			req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
			if declared {
				req.ContentLength = 300 << 20
			}
			res, err := h.srv.Client().Do(req)
			if err == nil {
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode < 400 {
					t.Errorf("%s (declared %v): %d", path, declared, res.StatusCode)
				}
				if declared && res.StatusCode != http.StatusRequestEntityTooLarge {
					t.Errorf("%s declared 300 MB: %d, want 413", path, res.StatusCode)
				}
			}
			body.mu.Lock()
			if body.read >= 300<<20 {
				t.Errorf("%s (declared %v): the whole body was read", path, declared)
			}
			body.mu.Unlock()
			if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
				t.Fatalf("%s (declared %v) wrote %d files to the temporary directory", path, declared, len(entries))
			}
		}
	}
}

// The post-login redirect stays on this site.
func TestNextStaysOnThisSite(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	for next, want := range map[string]string{
		"/claims?status=approved": "/claims?status=approved",
		"//evil.example":          "/", "/\\evil.example": "/", "/\t/evil.example": "/", "/\n/evil.example": "/",
		"https://evil.example/": "/", "/ /evil.example": "/", "\\/evil.example": "/", "": "/",
	} {
		b := h.browserAs(t, "")
		tok := b.token("/login")
		res := b.post("/login", map[string][]string{"email": {"buyer@example.com"}, "password": {password},
			"_csrf": {tok}, "next": {next}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("next %q: %d %q", next, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

// A 404 page under //evil.example/x links only to this site.
func TestErrorPageLinksComeFromTheRoute(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	for _, path := range []string{"//evil.example/x", "///evil.example", "/\\evil.example/x"} {
		req, _ := http.NewRequest("GET", h.srv.URL+"/", nil)
		req.URL.Path, req.URL.RawPath = path, ""
		res, err := h.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(body), "evil.example") {
			t.Errorf("%s: the page mentions the foreign host (%d)", path, res.StatusCode)
		}
		if !strings.Contains(string(body), `href="/?lang=ru"`) {
			t.Errorf("%s: no language link to this site's start page", path)
		}
	}
}

// /track reads the same for an unknown RMA number as for a known one with a
// wrong e-mail, so its timing tells nothing.
func TestTrackReadsAlikeForUnknownAndWrongEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st)
		rma := h.file()
		var mu sync.Mutex
		n := 0
		count := func(*gorm.DB) { mu.Lock(); n++; mu.Unlock() }
		db := st.DB()
		_ = db.Callback().Query().After("gorm:query").Register("test:track_query", count)
		_ = db.Callback().Row().After("gorm:row").Register("test:track_row", count)
		_ = db.Callback().Raw().After("gorm:raw").Register("test:track_raw", count)
		reads := func(path string) int {
			mu.Lock()
			n = 0
			mu.Unlock()
			h.must(h.do("GET", path, "", nil), 404)
			mu.Lock()
			defer mu.Unlock()
			return n
		}
		unknown := reads("/api/v1/track/RMA-2222-2222?email=buyer@example.com")
		wrong := reads("/api/v1/track/" + rma + "?email=other@example.com")
		if unknown != wrong || unknown == 0 {
			t.Errorf("reads: unknown number %d, known number with a wrong e-mail %d", unknown, wrong)
		}
	})
}

// clientFrom returns an HTTP client whose connections come from ip (any
// address of 127.0.0.0/8 reaches the loopback test server).
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
}

// Failed sign-ins lock the account whatever the client, and the client
// whatever the account; the right password does not get through a lockout.
func TestFailedLoginsLockOutPerAccountAndPerClient(t *testing.T) {
	h, logs := newHarnessLogged(t, openSQLite(t), web.Limits{Login: web.Rate{Every: time.Hour, Burst: 100},
		Lockout: web.Rate{Every: time.Hour, Burst: 3}}, nil)
	login := func(c *http.Client, email, pw string) (int, string) {
		b, _ := json.Marshal(map[string]string{"email": email, "password": pw})
		res, err := c.Post(h.srv.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(raw)
	}
	a, b := clientFrom("127.0.0.1"), clientFrom("127.0.0.2")
	if st, body := login(b, "nobody@example.com", password); st != 401 {
		t.Skipf("no second loopback address here: %d %s", st, body)
	}
	for i := 0; i < 3; i++ {
		if st, _ := login(a, "buyer@example.com", "wrong-password-1"); st != 401 {
			t.Fatalf("failure %d: %d", i+1, st)
		}
	}
	if st, body := login(b, "buyer@example.com", password); st != 429 || !strings.Contains(body, "login_locked") {
		t.Errorf("locked account from another client: %d %s", st, body)
	}
	if st, body := login(b, "rep@example.com", password); st != 200 {
		t.Errorf("another account from another client: %d %s", st, body)
	}
	if st, body := login(a, "rep@example.com", password); st != 429 {
		t.Errorf("another account from the locked client: %d %s", st, body)
	}
	events := map[string]int{}
	for _, l := range logs.lines("security") {
		events[fmt.Sprint(l["event"])]++
		if strings.Contains(fmt.Sprint(l), "wrong-password-1") {
			t.Error("a password reached the log")
		}
	}
	if events["login_failed"] != 4 || events["login_locked"] != 2 {
		t.Errorf("security log events %v", events)
	}
}

// BenchmarkTrack times /track for an unknown RMA number and for a known
// one with a wrong e-mail: the two should cost the same.
func BenchmarkTrack(b *testing.B) {
	h := newHarnessWith(b, openSQLite(b), web.Limits{Track: web.Rate{Every: time.Nanosecond, Burst: 1 << 30}})
	rma := h.file()
	for name, path := range map[string]string{
		"unknown_number": "/api/v1/track/RMA-2222-2222?email=buyer@example.com",
		"wrong_email":    "/api/v1/track/" + rma + "?email=other@example.com",
	} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if r := h.do("GET", path, "", nil); r.Status != 404 {
					b.Fatalf("%d", r.Status)
				}
			}
		})
	}
}

// Two processes on one Redis share the login limit: attempts through one
// count in the other (the in-process Redis stands in for a real one unless
// RMA_TEST_REDIS_ADDR names one).
func TestLoginLimitIsSharedThroughRedis(t *testing.T) {
	var rdb redis.UniversalClient
	if addr := os.Getenv("RMA_TEST_REDIS_ADDR"); addr != "" {
		rdb = redis.NewClient(&redis.Options{Addr: addr, DB: 9})
		t.Cleanup(func() { rdb.Close() })
	} else {
		rdb = redis.NewClient(&redis.Options{Addr: miniredis.RunT(t).Addr()})
	}
	st := openSQLite(t)
	email := fmt.Sprintf("shared-%d@example.com", time.Now().UnixNano()) // a key no other run used
	var servers []*httptest.Server
	for i := 0; i < 2; i++ {
		cfg, err := config.Load(func(k string) string {
			return map[string]string{"RMA_BCRYPT_COST": "4", "RMA_DATA_DIR": t.TempDir()}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := app.Open(context.Background(), cfg, app.Options{Store: st, Redis: rdb,
			Limits: web.Limits{Login: web.Rate{Every: time.Hour, Burst: 4}}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(a.Close)
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(srv.Close)
		servers = append(servers, srv)
	}
	login := func(srv *httptest.Server) int {
		b, _ := json.Marshal(map[string]string{"email": email, "password": "wrong-password-1"})
		res, err := srv.Client().Post(srv.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i, srv := range []*httptest.Server{servers[0], servers[1], servers[0], servers[1]} {
		if st := login(srv); st != 401 {
			t.Fatalf("attempt %d: %d", i+1, st)
		}
	}
	for i, srv := range servers {
		if st := login(srv); st != 429 {
			t.Errorf("process %d after four attempts in all: %d", i+1, st)
		}
	}
}
