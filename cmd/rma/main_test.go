package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"rma/internal/account"
	"rma/internal/app"
	"rma/internal/config"
	"rma/internal/store"
)

const testSecret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

// vars is a test environment: an SQLite data directory of its own.
func vars(t *testing.T, extra ...string) map[string]string {
	m := map[string]string{"RMA_DATA_DIR": t.TempDir(), "RMA_BCRYPT_COST": "4"}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

// run runs the binary's command tree in-process.
func run(t *testing.T, v map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	var environ []string
	for k, val := range v {
		environ = append(environ, k+"="+val)
	}
	e := env{getenv: func(k string) string { return v[k] }, environ: environ, stdin: strings.NewReader(stdin),
		stdout: &out, stderr: &errOut}
	root := newRoot(e)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String() + errOut.String(), err
}

// snapshot counts the rows of every table and lists the data directory.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, _ := e.Info()
		fmt.Fprintf(&b, "file %s %d\n", e.Name(), fi.Size())
	}
	path := filepath.Join(dir, "rma.db")
	if _, err := os.Stat(path); err != nil {
		return b.String()
	}
	st, err := store.OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var tables []string
	if err := st.DB().Raw("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		var n int64
		st.DB().Table(tb).Count(&n)
		fmt.Fprintf(&b, "table %s %d\n", tb, n)
	}
	return b.String()
}

// commandPaths lists every command of the tree, as arguments.
func commandPaths(c *cobra.Command, prefix []string) [][]string {
	var out [][]string
	for _, sub := range c.Commands() {
		if sub.Hidden || sub.Name() == "help" {
			continue
		}
		p := append(append([]string{}, prefix...), sub.Name())
		out = append(out, p)
		out = append(out, commandPaths(sub, p)...)
	}
	return out
}

// `rma <every command> --help` prints help and changes nothing: not the
// database, not the data directory; and it needs no valid configuration.
func TestHelpNeverActs(t *testing.T) {
	v := vars(t)
	dir := v["RMA_DATA_DIR"]
	if out, err := run(t, v, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	before := snapshot(t, dir)
	paths := commandPaths(newRoot(env{}), nil)
	if len(paths) < 10 {
		t.Fatalf("only %d commands: %v", len(paths), paths)
	}
	bad := map[string]string{"RMA_ADDR": "bad", "RMA_DATA_DIR": dir, "RMA_MYSQL_DSN": "nonsense"}
	for _, p := range paths {
		for _, args := range [][]string{append(p, "--help"), append(p, "-h"), append([]string{"help"}, p...)} {
			for name, env := range map[string]map[string]string{"configured": v, "misconfigured": bad} {
				out, err := run(t, env, "a-strong-password-2026\n", args...)
				if err != nil || !strings.Contains(out, "Usage:") {
					t.Errorf("%s %v: %v\n%s", name, args, err, out)
				}
			}
		}
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("--help changed the data:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// migrate, users and demo never open Redis: they work with an address where
// nothing answers.
func TestCommandsOpenOnlyTheDatabase(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadRedis := ln.Addr().String()
	ln.Close()
	v := vars(t, "RMA_REDIS_ADDR", deadRedis, "RMA_SECRET", testSecret)
	for _, args := range [][]string{{"migrate"}, {"users", "add", "--email", "first.admin@example.com", "--role", "admin"},
		{"users", "suspend", "first.admin@example.com"}, {"users", "activate", "first.admin@example.com"},
		{"users", "reset-password", "first.admin@example.com"}, {"demo"}} {
		if out, err := run(t, v, "another-strong-password-77\n", args...); err != nil {
			t.Errorf("%v: %v\n%s", args, err, out)
		}
	}
	if out, err := run(t, v, "", "worker"); err == nil || !strings.Contains(err.Error(), "RMA_REDIS_ADDR") {
		t.Errorf("worker on a dead Redis: %v\n%s", err, out)
	}
}

func TestUserStandingAndPasswordCommands(t *testing.T) {
	v := vars(t)
	must := func(stdin string, args ...string) string {
		t.Helper()
		out, err := run(t, v, stdin, args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return out
	}
	if out, err := run(t, v, "password12\n", "users", "add", "--email", "b@example.com", "--role", "buyer"); err == nil ||
		!strings.Contains(err.Error(), "password:") {
		t.Errorf("a common password was accepted: %v\n%s", err, out)
	}
	must("first-strong-pass-2026\n", "users", "add", "--email", "b@example.com", "--role", "buyer")
	cfg, err := config.Load(func(k string) string { return v[k] })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	login := func(password string) (account.Session, error) {
		a, err := app.OpenCore(ctx, cfg, app.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		return a.Accounts.Login(ctx, "b@example.com", password)
	}
	alive := func(token string) bool {
		a, err := app.OpenCore(ctx, cfg, app.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		_, err = a.Accounts.Authenticate(ctx, token)
		return err == nil
	}
	s, err := login("first-strong-pass-2026")
	if err != nil {
		t.Fatal(err)
	}
	must("", "users", "suspend", "B@example.com")
	if alive(s.Token) {
		t.Error("a suspended user's token still works")
	}
	if _, err := login("first-strong-pass-2026"); !errors.Is(err, account.ErrSuspended) {
		t.Errorf("a suspended user signs in: %v", err)
	}
	must("", "users", "activate", "b@example.com")
	s, err = login("first-strong-pass-2026")
	if err != nil {
		t.Fatalf("after reactivation: %v", err)
	}
	must("second-strong-pass-2026\n", "users", "reset-password", "b@example.com")
	if alive(s.Token) {
		t.Error("a token survived the password reset")
	}
	if _, err := login("first-strong-pass-2026"); err == nil {
		t.Error("the old password still works")
	}
	if _, err := login("second-strong-pass-2026"); err != nil {
		t.Errorf("the new password: %v", err)
	}
	if out, err := run(t, v, "", "users", "suspend", "nobody@example.com"); err == nil {
		t.Errorf("suspended an unknown user:\n%s", out)
	}
}

// An older binary on a newer schema: a clear refusal naming both versions.
func TestMigrateRefusesANewerSchema(t *testing.T) {
	v := vars(t)
	if out, err := run(t, v, "", "migrate"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	st, err := store.OpenSQLite(filepath.Join(v["RMA_DATA_DIR"], "rma.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DB().Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '0999_future.sql', CURRENT_TIMESTAMP)").Error; err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, cmd := range [][]string{{"migrate"}, {"users", "suspend", "x@example.com"}} {
		_, err := run(t, v, "", cmd...)
		if err == nil || !strings.Contains(err.Error(), "version 999, newer than this build's") {
			t.Errorf("%v: %v", cmd, err)
		}
	}
}

// serve binds before it says it listens: a taken port fails at once, naming
// the variable, with no "listening" line.
func TestServeSaysListeningOnlyAfterBinding(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	out, err := run(t, vars(t, "RMA_ADDR", ln.Addr().String()), "", "serve")
	if err == nil || !strings.Contains(err.Error(), "RMA_ADDR") || strings.Contains(out, "listening") {
		t.Errorf("serve on a taken port: %v\n%s", err, out)
	}
}

func TestVersionAndConfigErrors(t *testing.T) {
	out, err := run(t, vars(t), "", "version")
	if err != nil || !strings.Contains(out, "rma ") || !strings.Contains(out, "schema version") {
		t.Errorf("version: %v %s", err, out)
	}
	_, err = run(t, vars(t, "RMA_ADDR", ":99999"), "", "migrate")
	if err == nil || !strings.Contains(err.Error(), "RMA_ADDR:") {
		t.Errorf("bad port: %v", err)
	}
	_, err = run(t, vars(t, "RMA_MYSQL_DSN", "rma:pw@tcp(db:3306)/rma"), "", "migrate")
	if err == nil || !strings.Contains(err.Error(), "RMA_SECRET:") {
		t.Errorf("production without a secret: %v", err)
	}
	dead := freeAddr(t)
	_, err = run(t, vars(t, "RMA_MYSQL_DSN", "rma:pw@tcp("+dead+")/rma", "RMA_SECRET", testSecret), "", "migrate")
	if err == nil || !strings.Contains(err.Error(), "RMA_MYSQL_DSN:") {
		t.Errorf("an unreachable database: %v", err)
	}
	out, _ = run(t, vars(t, "RMA_MYSQL_DNS", "x"), "", "migrate")
	if !strings.Contains(out, "RMA_MYSQL_DNS") {
		t.Errorf("a mistyped variable went unmentioned:\n%s", out)
	}
	keys := []string{}
	for _, p := range commandPaths(newRoot(env{}), nil) {
		keys = append(keys, strings.Join(p, " "))
	}
	sort.Strings(keys)
	for _, want := range []string{"users suspend", "users activate", "users reset-password", "version"} {
		if i := sort.SearchStrings(keys, want); i == len(keys) || keys[i] != want {
			t.Errorf("no command %q in %v", want, keys)
		}
	}
}

// lockedBuffer is written by the running command and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serve answers once it says it listens, serves /metrics on its own address,
// logs JSON when asked, and stops cleanly on a signal (the context).
func TestServeRunsAndStops(t *testing.T) {
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	v := vars(t, "RMA_ADDR", addr, "RMA_METRICS_ADDR", metricsAddr, "RMA_LOG_FORMAT", "json")
	out := &lockedBuffer{}
	e := env{getenv: func(k string) string { return v[k] }, stdin: strings.NewReader(""), stdout: out, stderr: out}
	root := newRoot(e)
	root.SetArgs([]string{"serve"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(out.String(), "listening") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve never listened:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	get := func(url string) (int, string) {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if st, _ := get("http://" + addr + "/livez"); st != 200 {
		t.Errorf("livez %d", st)
	}
	for _, args := range [][]string{{"probe"}, {"probe", "--ready"}} {
		if out, err := run(t, map[string]string{"RMA_ADDR": addr}, "", args...); err != nil {
			t.Errorf("%v: %v %s", args, err, out)
		}
	}
	if st, _ := get("http://" + addr + "/metrics"); st != 404 {
		t.Errorf("metrics on the main address without a token: %d", st)
	}
	if st, body := get("http://" + metricsAddr + "/metrics"); st != 200 || !strings.Contains(body, `rma_http_requests_total{method="GET",route="/livez",status="200"} 2`) {
		t.Errorf("metrics address: %d\n%s", st, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve stopped with %v", err)
	}
	if _, err := run(t, map[string]string{"RMA_ADDR": addr}, "", "probe"); err == nil {
		t.Error("probe passes with the service stopped")
	}
	jsonLines := 0
	for _, l := range strings.Split(out.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] != nil {
			jsonLines++
			if m["level"] == "ERROR" {
				t.Errorf("an error was logged: %s", l)
			}
		}
	}
	if jsonLines < 3 {
		t.Errorf("%d JSON log lines:\n%s", jsonLines, out.String())
	}
}
