package app_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"

	"rma/internal/imei"
	"rma/internal/slip"
)

// TestManyProcesses runs three `rma serve` and two `rma worker` processes
// of the built binary against one MariaDB and one Redis, with a real SMTP
// server. Buyers file through every server; each approval and each intake
// scan is sent to all three servers at once. Every claim makes one
// transition per step, every job runs once, and every buyer gets each
// e-mail once.
func TestManyProcesses(t *testing.T) {
	dsn, redisAddr := os.Getenv("RMA_TEST_MYSQL_DSN"), os.Getenv("RMA_TEST_REDIS_ADDR")
	if dsn == "" || redisAddr == "" {
		t.Skip("needs MariaDB/MySQL and Redis: set RMA_TEST_MYSQL_DSN and RMA_TEST_REDIS_ADDR")
	}
	if testing.Short() {
		t.Skip("starts five processes")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "rma")
	build := exec.Command("go", "build", "-o", bin, "./cmd/rma")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db, appDSN := freshSchema(t, dsn)
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, DB: 12})
	t.Cleanup(func() { rdb.Close() })
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	mails := startSMTP(t)
	const secret = "multi-process-test-secret-0123456789abcdef"
	const base = "https://rma.example.com"
	envv := append(os.Environ(), "RMA_MYSQL_DSN="+appDSN, fmt.Sprintf("RMA_REDIS_URL=redis://%s/12", redisAddr),
		"RMA_SECRET="+secret, "RMA_BASE_URL="+base, "RMA_BCRYPT_COST=4", "RMA_SWEEP_EVERY=1s",
		"RMA_DATA_DIR="+dir, "RMA_SMTP_URL=smtp://"+mails.addr+"?from=rma@example.com&tls=none&timeout=5s")
	run := func(stdin string, args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Stdin = envv, strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("rma %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("", "migrate")
	run("gate-keeper-2026\n", "users", "add", "--email", "admin@example.com", "--role", "admin")
	run("answer-desk-2026\n", "users", "add", "--email", "rep@example.com", "--role", "rep")

	var servers []string
	for i := range 3 {
		addr := freeAddr(t)
		start(t, bin, append(envv, "RMA_ADDR="+addr), filepath.Join(dir, fmt.Sprintf("serve%d.log", i)), "serve")
		servers = append(servers, "http://"+addr)
	}
	for i := range 2 {
		start(t, bin, envv, filepath.Join(dir, fmt.Sprintf("worker%d.log", i)), "worker")
	}
	for _, s := range servers {
		waitUp(t, s)
	}
	c := &client{t: t}
	admin := c.login(servers[0], "admin@example.com", "gate-keeper-2026")
	c.must(200, "PUT", servers[1]+"/api/v1/centers/BER", admin, map[string]any{"name": "Berlin", "country": "DE",
		"time_zone": "Europe/Berlin", "address": []string{"Storkower Str. 140", "10407 Berlin"}, "serves": []string{"DE"}})
	run("bench-screws-2026\n", "users", "add", "--email", "tech@example.com", "--role", "technician", "--center", "BER")
	const buyers = 12
	devices := make([]string, buyers)
	for i := range buyers {
		devices[i] = imei.WithCheckDigit(fmt.Sprintf("3599991%07d", i))
		c.must(200, "PUT", fmt.Sprintf("%s/api/v1/orders/ORD-M%d", servers[i%3], i), admin, map[string]any{
			"buyer_email": fmt.Sprintf("buyer%d@example.com", i), "buyer_name": "Buyer", "shipping_address": []string{"Street 1", "Berlin"},
			"completed_at": time.Now().AddDate(0, -1, 0).UTC().Format(time.RFC3339), "country": "DE", "product_name": "Phone",
			"category": "phone", "imei": devices[i], "coverages": []string{"extended_warranty"}})
		run("my-phone-2026x\n", "users", "add", "--email", fmt.Sprintf("buyer%d@example.com", i), "--role", "buyer")
	}
	rep := c.login(servers[2], "rep@example.com", "answer-desk-2026")
	tech := c.login(servers[1], "tech@example.com", "bench-screws-2026")

	rmas := make([]string, buyers)
	var wg sync.WaitGroup
	for i := range buyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := servers[i%3]
			tok := c.login(s, fmt.Sprintf("buyer%d@example.com", i), "my-phone-2026x")
			body := c.must(201, "POST", s+"/api/v1/claims", tok, map[string]any{"order_number": fmt.Sprintf("ORD-M%d", i),
				"coverage": "extended_warranty", "imei": devices[i], "description": "It no longer turns on."})
			rmas[i], _ = body["rma_number"].(string)
		}()
	}
	wg.Wait()
	// Each decision and each scan reaches all three servers at once.
	all := func(path, token string, body map[string]any) map[int]int {
		statuses := map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, s := range servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, _ := c.do("POST", s+path, token, body)
				mu.Lock()
				statuses[st]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		return statuses
	}
	signer := slip.NewSigner(secret, base)
	for _, rma := range rmas {
		if got := all("/api/v1/claims/"+rma+"/approve", rep, map[string]any{"note": "ok"}); got[200] != 1 || got[409] != 2 {
			t.Errorf("%s approved from three servers: %v", rma, got)
		}
		if got := all("/api/v1/intake/scans", tech, map[string]any{"code": signer.URL(rma)}); got[200] != 3 {
			t.Errorf("%s scanned on three servers: %v", rma, got)
		}
	}
	// Three e-mails per buyer: filed, approved (with the slip), received.
	want := 3 * buyers
	deadline := time.Now().Add(90 * time.Second)
	for len(mails.all()) < want && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // a few more sweeps: nothing more may come
	seen := map[string]int{}
	for _, m := range mails.all() {
		seen[m]++
	}
	if len(mails.all()) != want || len(seen) != want {
		t.Errorf("%d e-mails, %d distinct, want %d", len(mails.all()), len(seen), want)
	}
	for m, n := range seen {
		if n > 1 {
			t.Errorf("%d copies of %s", n, m)
		}
	}
	var dupEvents, deadJobs, rerun int
	db.QueryRow(`SELECT COUNT(*) FROM (SELECT claim_id, action FROM claim_events GROUP BY claim_id, action
		HAVING COUNT(*) > 1) d`).Scan(&dupEvents)
	db.QueryRow(`SELECT COUNT(*) FROM jobs WHERE dead_at IS NOT NULL`).Scan(&deadJobs)
	db.QueryRow(`SELECT COUNT(*) FROM jobs WHERE kind = 'notify' AND (done_at IS NULL OR attempts <> 1)`).Scan(&rerun)
	if dupEvents != 0 || deadJobs != 0 || rerun != 0 {
		t.Errorf("repeated transitions %d, dead jobs %d, notifications not run exactly once %d", dupEvents, deadJobs, rerun)
	}
	if t.Failed() {
		for _, f := range []string{"serve0.log", "worker0.log", "worker1.log"} {
			b, _ := os.ReadFile(filepath.Join(dir, f))
			t.Logf("%s:\n%s", f, tail(b, 3000))
		}
	}
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// freshSchema creates a database of its own for the test, dropped after.
func freshSchema(t *testing.T, dsn string) (*sql.DB, string) {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "rma_t_" + hex.EncodeToString(b)
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP DATABASE IF EXISTS " + name); admin.Close() })
	cfg.DBName = name
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, cfg.FormatDSN()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs the binary in the background until the test ends, then stops
// it with SIGTERM as a supervisor would.
func start(t *testing.T, bin string, env []string, logFile string, args ...string) {
	t.Helper()
	f, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, f, f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		f.Close()
	})
}

func waitUp(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not come up", base)
}

// client speaks JSON to the servers; it is safe for concurrent use.
type client struct{ t *testing.T }

func (c *client) do(method, url, token string, body any) (int, map[string]any) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Errorf("%s %s: %v", method, url, err)
		return 0, nil
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func (c *client) must(status int, method, url, token string, body any) map[string]any {
	st, out := c.do(method, url, token, body)
	if st != status {
		c.t.Errorf("%s %s: %d, want %d: %v", method, url, st, status, out)
	}
	return out
}

func (c *client) login(base, email, password string) string {
	out := c.must(200, "POST", base+"/api/v1/auth/login", "", map[string]any{"email": email, "password": password})
	tok, _ := out["token"].(string)
	return tok
}

// smtpSink is a real SMTP server on loopback that notes each message as
// "recipient subject".
type smtpSink struct {
	addr string
	mu   sync.Mutex
	got  []string
}

func (s *smtpSink) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

func startSMTP(t *testing.T) *smtpSink {
	s := &smtpSink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }))
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

type sinkSession struct {
	sink *smtpSink
	to   []string
}

func (s *sinkSession) Reset()                                    { s.to = nil }
func (s *sinkSession) Logout() error                             { return nil }
func (s *sinkSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }
func (s *sinkSession) Data(r io.Reader) error {
	subject := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "Subject: ") && subject == "" {
			subject = strings.TrimPrefix(line, "Subject: ")
		}
	}
	s.sink.mu.Lock()
	defer s.sink.mu.Unlock()
	s.sink.got = append(s.sink.got, strings.Join(s.to, ",")+" "+subject)
	return nil
}
