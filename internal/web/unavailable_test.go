package web_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"rma/internal/store"
	"rma/internal/store/storetest"
	"rma/migrations"
)

// dbProxy is a TCP proxy in front of the database that can freeze (hold
// every byte) and go down (refuse and drop connections), to play a database
// in trouble.
type dbProxy struct {
	target, addr string
	mu           sync.Mutex
	cond         *sync.Cond
	frozen       bool
	ln           net.Listener
	conns        []net.Conn
}

func startProxy(t *testing.T, target string) *dbProxy {
	p := &dbProxy{target: target, addr: "127.0.0.1:0"}
	p.cond = sync.NewCond(&p.mu)
	p.up(t)
	t.Cleanup(p.down)
	return p
}

func (p *dbProxy) up(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go p.pump(c, u)
			go p.pump(u, c)
		}
	}()
}

func (p *dbProxy) pump(from, to net.Conn) {
	defer from.Close()
	defer to.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := from.Read(buf)
		p.mu.Lock()
		for p.frozen {
			p.cond.Wait()
		}
		p.mu.Unlock()
		if n > 0 {
			if _, werr := to.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *dbProxy) freeze(on bool) {
	p.mu.Lock()
	p.frozen = on
	p.mu.Unlock()
	p.cond.Broadcast()
}

func (p *dbProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// openMySQLVia creates a fresh schema and opens it through addr.
func openMySQLVia(t *testing.T, addr string) (*store.Store, *sql.DB) {
	t.Helper()
	cfg, err := mysql.ParseDSN(os.Getenv(storetest.MySQLEnv))
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
	direct := *cfg
	direct.DBName = name
	lockDB, err := sql.Open("mysql", direct.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lockDB.Close() })
	via := direct
	via.Addr = addr
	st, err := store.OpenMySQL(via.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(context.Background(), migrations.FS); err != nil {
		t.Fatal(err)
	}
	return st, lockDB
}

// TestDatabaseTroubleIs503ThenRecovers: with a table locked by another
// session, with the database frozen and with it down, requests answer 503
// (and /healthz says so when the database does not answer) within seconds;
// once the trouble ends the same requests succeed without a restart.
// (Before: a frozen database held every request and /healthz 20 s and
// more; a database that was down gave 500.)
func TestDatabaseTroubleIs503ThenRecovers(t *testing.T) {
	if os.Getenv(storetest.MySQLEnv) == "" {
		t.Skip("needs a MariaDB/MySQL server: set " + storetest.MySQLEnv)
	}
	cfg, _ := mysql.ParseDSN(os.Getenv(storetest.MySQLEnv))
	proxy := startProxy(t, cfg.Addr)
	st, direct := openMySQLVia(t, proxy.addr)
	h := newHarness(t, st)
	eligibility := func() response { return h.do("GET", "/api/v1/orders/ORD-1/eligibility", "buyer", nil) }
	putOrder := func() response {
		return h.do("PUT", "/api/v1/orders/ORD-9", "admin", map[string]any{"buyer_email": "buyer@example.com",
			"buyer_name": "B", "shipping_address": []string{"Street 1"}, "completed_at": "2026-10-01T10:00:00Z",
			"country": "DE", "product_name": "Phone", "category": "phone", "coverages": []string{"extended_warranty"}})
	}
	expect503 := func(what string, r response, start time.Time) {
		t.Helper()
		if r.Status != 503 || r.errCode() != "unavailable" || r.Header.Get("Retry-After") == "" || r.message() == "" {
			t.Errorf("%s: %d %s", what, r.Status, r.Raw)
		}
		t.Logf("%s: %d after %s", what, r.Status, time.Since(start).Round(100*time.Millisecond))
	}
	h.must(eligibility(), 200)
	h.must(putOrder(), 200)

	// A table held by another session's lock.
	lockConn, err := direct.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockConn.ExecContext(context.Background(), "LOCK TABLES orders WRITE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	expect503("read of a locked table", eligibility(), start)
	start = time.Now()
	expect503("write of a locked table", putOrder(), start)
	if _, err := lockConn.ExecContext(context.Background(), "UNLOCK TABLES"); err != nil {
		t.Fatal(err)
	}
	lockConn.Close()
	h.must(eligibility(), 200)
	h.must(putOrder(), 200)

	// A frozen database.
	proxy.freeze(true)
	start = time.Now()
	expect503("frozen database", eligibility(), start)
	start = time.Now()
	if r := h.do("GET", "/healthz", "", nil); r.Status != 503 {
		t.Errorf("healthz of a frozen database: %d %s", r.Status, r.Raw)
	}
	t.Logf("healthz of a frozen database after %s", time.Since(start).Round(100*time.Millisecond))
	proxy.freeze(false)
	h.must(eligibility(), 200)

	// A database that is down.
	proxy.down()
	start = time.Now()
	expect503("database down", putOrder(), start)
	if r := h.do("GET", "/healthz", "", nil); r.Status != 503 {
		t.Errorf("healthz of a database that is down: %d", r.Status)
	}
	proxy.up(t)
	h.must(putOrder(), 200)
	h.must(eligibility(), 200)
	h.must(h.do("GET", "/healthz", "", nil), 200)
}
