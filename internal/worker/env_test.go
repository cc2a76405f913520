package worker_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"rma/internal/account"
	"rma/internal/app"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/config"
	"rma/internal/coverage"
	"rma/internal/imei"
	"rma/internal/mail"
	"rma/internal/order"
	"rma/internal/store"
	"rma/internal/store/storetest"
	"rma/internal/testenv"
)

// RedisEnv names a Redis the tests may use (database 9, flushed per test).
const RedisEnv = "RMA_TEST_REDIS_ADDR"

// clock is the test clock: a settable time, or real time once live.
type clock struct {
	mu   sync.Mutex
	t    time.Time
	live bool
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.live {
		return time.Now()
	}
	return c.t
}

func (c *clock) Live()           { c.mu.Lock(); defer c.mu.Unlock(); c.live = true }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

var berlin, _ = time.LoadLocation("Europe/Berlin")

// env is the service with a buyer, a rep, an admin and two technicians, on
// one database and one Redis.
type env struct {
	t     testing.TB
	app   *app.App
	st    *store.Store
	clock *clock
	rdb   redis.UniversalClient
	mini  *miniredis.Miniredis // nil on a real Redis
	users map[string]account.User
	n     int
}

type redisTarget struct {
	name string
	open func(t testing.TB) (redis.UniversalClient, *miniredis.Miniredis)
}

// redisTargets: the in-process Redis and a real one (when configured).
func redisTargets() []redisTarget {
	out := []redisTarget{{"miniredis", func(t testing.TB) (redis.UniversalClient, *miniredis.Miniredis) {
		m := miniredis.RunT(t)
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		go func() { // miniredis expires keys only when its clock moves
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
					m.FastForward(100 * time.Millisecond)
				}
			}
		}()
		return redis.NewClient(&redis.Options{Addr: m.Addr()}), m
	}}}
	// The real Redis is always listed: without its variable its subtests
	// skip, saying why (and fail under CI=true).
	out = append(out, redisTarget{"redis", func(t testing.TB) (redis.UniversalClient, *miniredis.Miniredis) {
		addr := testenv.Env(t, RedisEnv, "Redis server")
		c := redis.NewClient(&redis.Options{Addr: addr, DB: 9})
		if err := c.FlushDB(context.Background()).Err(); err != nil {
			t.Fatalf("redis at %s: %v", addr, err)
		}
		return c, nil
	}})
	return out
}

// eachDB runs fn on every database (with the in-process Redis).
func eachDB(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		rdb, m := redisTargets()[0].open(t)
		fn(t, newEnv(t, st, rdb, m))
	})
}

// eachRedis runs fn on every Redis (with SQLite).
func eachRedis(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, target := range redisTargets() {
		t.Run(target.name, func(t *testing.T) {
			rdb, m := target.open(t)
			fn(t, newEnv(t, storetest.Open(t, store.SQLite), rdb, m))
		})
	}
}

func newEnv(t testing.TB, st *store.Store, rdb redis.UniversalClient, m *miniredis.Miniredis) *env {
	t.Helper()
	vars := map[string]string{"RMA_BCRYPT_COST": "4", "RMA_DATA_DIR": t.TempDir(), "RMA_BASE_URL": "https://rma.example.com"}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 5, 22, 10, 0, 0, 0, berlin)} // Friday before Whit Monday
	a, err := app.Open(context.Background(), cfg, app.Options{Now: clk.Now, Store: st, Redis: rdb,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	a.Runner.Grace = 0
	e := &env{t: t, app: a, st: st, clock: clk, rdb: rdb, mini: m, users: map[string]account.User{}}
	e.seed()
	return e
}

func (e *env) seed() {
	ctx := context.Background()
	if _, _, err := e.app.Centers.Put(ctx, center.Center{Code: "BER", Name: "Berlin", Country: "DE", TimeZone: "Europe/Berlin",
		Address: []string{"Storkower Str. 140", "10407 Berlin"}, Serves: []string{"DE"}}); err != nil {
		e.t.Fatal(err)
	}
	if _, _, err := e.app.Centers.Put(ctx, center.Center{Code: "MAD", Name: "Madrid", Country: "ES", TimeZone: "Europe/Madrid",
		Address: []string{"Calle de Alcalá 250"}, Serves: []string{"ES"}}); err != nil {
		e.t.Fatal(err)
	}
	for _, u := range []account.NewUser{
		{Email: "buyer@example.com", Role: account.Buyer, Language: "ru", Name: "Иван Петров"},
		{Email: "rep@example.com", Role: account.Rep, Language: "es", Name: "Rita"},
		{Email: "admin@example.com", Role: account.Admin, Language: "en", Name: "Alex"},
		{Email: "tech@example.com", Role: account.Technician, CenterCode: "BER", Language: "en", Name: "Tom"},
		{Email: "tech.mad@example.com", Role: account.Technician, CenterCode: "MAD", Language: "es", Name: "Tania"},
	} {
		u.Password = "test-pass-123"
		created, err := e.app.Accounts.Create(ctx, u)
		if err != nil {
			e.t.Fatal(err)
		}
		e.users[u.Email] = created
	}
}

func (e *env) actor(email string) account.Actor { return e.users[email].Actor() }

// file files a claim on a fresh order and returns its RMA number.
func (e *env) file() string {
	e.t.Helper()
	return e.fileAs("buyer@example.com")
}

// fileAs files a claim of the given buyer (created on first use) on a fresh
// order and returns its RMA number.
func (e *env) fileAs(buyer string) string {
	e.t.Helper()
	if _, ok := e.users[buyer]; !ok {
		u, err := e.app.Accounts.Create(context.Background(), account.NewUser{Email: buyer, Role: account.Buyer,
			Language: "en", Name: "Buyer", Password: "test-pass-123"})
		if err != nil {
			e.t.Fatal(err)
		}
		e.users[buyer] = u
	}
	ctx := context.Background()
	e.n++
	done := e.clock.Now().AddDate(0, -1, 0)
	device := imei.WithCheckDigit(fmt.Sprintf("3599990%07d", e.n))
	o := order.Order{Number: fmt.Sprintf("ORD-W%d", e.n), BuyerEmail: buyer, BuyerName: "Иван Петров",
		ShippingAddress: []string{"Calle Peña 3", "Málaga"}, CompletedAt: &done, Country: "DE", ProductName: "Phone",
		Category: "phone", IMEI: device, Coverages: []coverage.Kind{coverage.ExtendedWarranty}}
	if _, _, err := e.app.Orders.Put(ctx, o); err != nil {
		e.t.Fatal(err)
	}
	v, err := e.app.Claims.Submit(ctx, e.actor(buyer), claim.Request{OrderNumber: o.Number,
		Coverage: coverage.ExtendedWarranty, IMEI: device, Description: "Телефон не включается."})
	if err != nil {
		e.t.Fatal(err)
	}
	return v.Claim.RMANumber
}

func (e *env) approve(rma string) {
	e.t.Helper()
	if _, err := e.app.Claims.Approve(context.Background(), e.actor("rep@example.com"), rma, "ok"); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) receive(rma string) {
	e.t.Helper()
	if _, _, err := e.app.Claims.Receive(context.Background(), e.actor("tech@example.com"), rma, ""); err != nil {
		e.t.Fatal(err)
	}
}

// sweep runs every job that is due by the test clock.
func (e *env) sweep() {
	e.t.Helper()
	if _, err := e.app.Runner.Sweep(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// mails returns the kept messages about a claim as "kind to" strings.
func (e *env) mails(rma string) []string {
	e.t.Helper()
	recs, err := e.app.Mailer.List(context.Background(), mail.Filter{RMANumber: rma, Limit: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	out := make([]string, 0, len(recs))
	for i := len(recs) - 1; i >= 0; i-- { // oldest first
		out = append(out, recs[i].Kind+" "+recs[i].To)
	}
	return out
}

func mailTo(addr string) mail.Filter { return mail.Filter{To: addr, Limit: 200} }
