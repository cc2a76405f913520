// Package perf measures the service against yardsticks in the same run:
// each figure runs beside a bare implementation of the same work, in
// alternating rounds, and is reported as a ratio (ours / yardstick).
// `make bench` prints the ratios; `make bench-scale` the curve over the
// number of claims. Nothing here asserts a timing: the tests of this
// package check that the harness measures what it says, at a tiny size.
package perf

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"
	"gorm.io/gorm"

	"rma/internal/account"
	"rma/internal/app"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/config"
	"rma/internal/coverage"
	"rma/internal/imei"
	"rma/internal/order"
	"rma/internal/slip"
	"rma/internal/store"
	"rma/migrations"
)

// The variables that add MariaDB/MySQL and a real Redis to a run (the
// tests' own).
const (
	MySQLEnv = "RMA_TEST_MYSQL_DSN"
	RedisEnv = "RMA_TEST_REDIS_ADDR"
)

// Target is where a run happens: SQLite and the in-process Redis when both
// fields are empty.
type Target struct {
	MySQLDSN  string
	RedisAddr string
}

// Name is the target as the report prints it.
func (t Target) Name() string {
	db, q := "SQLite", "in-process Redis"
	if t.MySQLDSN != "" {
		db = "MariaDB"
	}
	if t.RedisAddr != "" {
		q = "Redis"
	}
	return db + " + " + q
}

// Targets are SQLite always, and MariaDB + Redis when the variables are set.
func Targets() []Target {
	out := []Target{{}}
	if dsn := os.Getenv(MySQLEnv); dsn != "" {
		out = append(out, Target{MySQLDSN: dsn, RedisAddr: os.Getenv(RedisEnv)})
	}
	return out
}

// Env is the whole service on a fresh database behind a real HTTP server,
// with an account of every role signed in.
type Env struct {
	Target Target
	App    *app.App
	Store  *store.Store
	Srv    *httptest.Server
	Client *http.Client
	// Tokens are the signed-in accounts' bearer tokens: admin, rep, tech,
	// buyer.
	Tokens map[string]string
	Users  map[string]account.User
	Signer slip.Signer

	// Mix is what Seed writes: MixRealistic unless set.
	Mix Mix
	// Statements counts the statements run through the store (GORM's
	// queries, creates, updates, deletes and raw statements).
	Statements atomic.Int64

	dir     string
	cleanup []func()
	orders  int
	seeded  int
	tmpl    []template
	// reopen opens another connection pool to the same database.
	reopen func() (*store.Store, error)
}

const password = "perf-pass-2026"

// Open builds an Env on t.
func Open(ctx context.Context, t Target) (*Env, error) {
	e := &Env{Target: t, Tokens: map[string]string{}, Users: map[string]account.User{}}
	ok := false
	defer func() {
		if !ok {
			e.Close()
		}
	}()
	dir, err := os.MkdirTemp("", "rma-perf-")
	if err != nil {
		return nil, err
	}
	e.dir = dir
	e.cleanup = append(e.cleanup, func() { _ = os.RemoveAll(dir) })
	if e.Store, e.reopen, err = openStore(t, dir, &e.cleanup); err != nil {
		return nil, err
	}
	if _, err := e.Store.Migrate(ctx, migrations.FS); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if err := e.countStatements(); err != nil {
		return nil, err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	vars := map[string]string{"RMA_BCRYPT_COST": "4", "RMA_DATA_DIR": dir, "RMA_TOKEN_TTL": "720h",
		"RMA_SECRET": hex.EncodeToString(secret)}
	opt := app.Options{Store: e.Store, Logger: slog.New(slog.DiscardHandler)}
	if t.RedisAddr != "" {
		rdb := redis.NewClient(&redis.Options{Addr: t.RedisAddr, DB: 11})
		if err := rdb.FlushDB(ctx).Err(); err != nil {
			return nil, fmt.Errorf("redis %s: %w", t.RedisAddr, err)
		}
		opt.Redis = rdb
		e.cleanup = append(e.cleanup, func() { rdb.FlushDB(context.Background()); _ = rdb.Close() })
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		return nil, err
	}
	if e.App, err = app.Open(ctx, cfg, opt); err != nil {
		return nil, err
	}
	e.Signer = slip.NewSigner(cfg.Secret, cfg.BaseURL)
	e.Srv = httptest.NewServer(e.App.Handler)
	e.Client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxIdleConns: 128}}
	if err := e.seed(ctx); err != nil {
		return nil, err
	}
	ok = true
	return e, nil
}

func openStore(t Target, dir string, cleanup *[]func()) (*store.Store, func() (*store.Store, error), error) {
	if t.MySQLDSN == "" {
		reopen := func() (*store.Store, error) { return store.OpenSQLite(dir + "/perf.db") }
		st, err := reopen()
		return st, reopen, err
	}
	cfg, err := mysql.ParseDSN(t.MySQLDSN)
	if err != nil {
		return nil, nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "rma_t_perf_" + hex.EncodeToString(b) // the prefix the CI account may create
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, nil, err
	}
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		admin.Close()
		return nil, nil, err
	}
	*cleanup = append(*cleanup, func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name)
		admin.Close()
	})
	cfg.DBName = name
	reopen := func() (*store.Store, error) { return store.OpenMySQL(cfg.FormatDSN()) }
	st, err := reopen()
	return st, reopen, err
}

// Close releases everything Open made, the database included.
func (e *Env) Close() {
	if e.Srv != nil {
		e.Srv.Close()
	}
	if e.App != nil {
		e.App.Close()
	} else if e.Store != nil {
		_ = e.Store.Close()
	}
	for i := len(e.cleanup) - 1; i >= 0; i-- {
		e.cleanup[i]()
	}
}

func (e *Env) seed(ctx context.Context) error {
	for _, c := range []center.Center{
		{Code: "BER", Name: "Berlin", Country: "DE", TimeZone: "Europe/Berlin", Address: []string{"Storkower Str. 140", "10407 Berlin"},
			Serves: []string{"DE", "AT", "PL"}},
		{Code: "MAD", Name: "Madrid", Country: "ES", TimeZone: "Europe/Madrid", Address: []string{"Calle de Alcalá 250", "28027 Madrid"},
			Serves: []string{"ES", "FR"}},
	} {
		if _, _, err := e.App.Centers.Put(ctx, c); err != nil {
			return err
		}
	}
	for key, u := range map[string]account.NewUser{
		"admin": {Email: "admin@example.com", Role: account.Admin},
		"rep":   {Email: "rep@example.com", Role: account.Rep},
		"tech":  {Email: "tech@example.com", Role: account.Technician, CenterCode: "BER"},
		"buyer": {Email: "buyer@example.com", Role: account.Buyer},
	} {
		u.Name, u.Password = "Perf "+string(u.Role), password
		created, err := e.App.Accounts.Create(ctx, u)
		if err != nil {
			return err
		}
		s, err := e.App.Accounts.Login(ctx, u.Email, password)
		if err != nil {
			return err
		}
		e.Tokens[key], e.Users[key] = s.Token, created
	}
	return nil
}

// NewClaim imports a fresh phone order for the buyer in Germany and files a
// claim on it; approved when asked. It returns the RMA number.
func (e *Env) NewClaim(ctx context.Context, approve bool) (string, error) {
	e.orders++
	done := time.Now().UTC().AddDate(0, -2, 0)
	o := order.Order{Number: fmt.Sprintf("ORD-P%06d", e.orders), BuyerEmail: "buyer@example.com", BuyerName: "Perf Buyer",
		CompletedAt: &done, Country: "DE", Category: "phone", ProductName: "Phone",
		IMEI:            imei.WithCheckDigit(fmt.Sprintf("35%012d", 100000+e.orders)),
		ShippingAddress: []string{"Street 1", "10115 Berlin"},
		Coverages:       []coverage.Kind{coverage.ExtendedWarranty}}
	if _, _, err := e.App.Orders.Put(ctx, o); err != nil {
		return "", err
	}
	v, err := e.App.Claims.Submit(ctx, e.Users["buyer"].Actor(), claimRequest(o))
	if err != nil {
		return "", err
	}
	rma := v.Claim.RMANumber
	if approve {
		if _, err := e.App.Claims.Approve(ctx, e.Users["rep"].Actor(), rma, "Covered."); err != nil {
			return "", err
		}
	}
	return rma, nil
}

func claimRequest(o order.Order) claim.Request {
	return claim.Request{OrderNumber: o.Number, Coverage: coverage.ExtendedWarranty, IMEI: o.IMEI,
		Description: "The phone stopped charging: the port does not react to any cable."}
}

// countStatements adds one to Statements after every statement GORM runs.
func (e *Env) countStatements() error {
	count := func(*gorm.DB) { e.Statements.Add(1) }
	cb := e.Store.DB().Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("perf:count", count),
		cb.Create().After("gorm:create").Register("perf:count", count),
		cb.Update().After("gorm:update").Register("perf:count", count),
		cb.Delete().After("gorm:delete").Register("perf:count", count),
		cb.Raw().After("gorm:raw").Register("perf:count", count),
		cb.Row().After("gorm:row").Register("perf:count", count),
	} {
		if err != nil {
			return fmt.Errorf("count statements: %w", err)
		}
	}
	return nil
}
