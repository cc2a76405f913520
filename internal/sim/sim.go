// Package sim runs a simulated month of the service on a virtual clock: the
// real claim service, store, mailer, outbox relay and worker sweep, driven
// by buyers, reps and technicians who act on time or late as a seeded dice
// decides, and under Basic protection by buyers and sellers disputing
// orders, some of which arrive late or never. At the end it reads the
// promise ledger and the refund ledger and checks that every broken promise
// was noticed and acted on within a minute of its due time, that nothing
// was escalated that was not late, that every refund was owed once, and
// that no e-mail went out twice.
package sim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"rma/internal/account"
	"rma/internal/app"
	"rma/internal/center"
	"rma/internal/config"
	"rma/internal/money"
	"rma/internal/promise"
	"rma/internal/store"
	"rma/migrations"
)

// Options describe one run.
type Options struct {
	Days   int
	Claims int
	// Disputes is how many of the month's orders end in a dispute with
	// their seller under Basic protection (some of them also arrive late
	// or never); zero simulates claims alone.
	Disputes int
	Seed     uint64
	// Store is the database to fill (a fresh one: the run writes every
	// claim); nil opens a new SQLite database in a temporary directory.
	Store *store.Store
	// Redis is the queue's Redis (it is flushed once during the run); nil
	// starts an in-process one.
	Redis redis.UniversalClient
	// Start is the first simulated instant (1 May 2026, 00:00 UTC, when
	// zero: a month with public holidays in every country simulated).
	Start time.Time
	// Progress, when set, is told how far the run is.
	Progress io.Writer
}

// SweepEvery is the worker's sweep period in the simulation: the default
// configuration's.
const SweepEvery = 30 * time.Second

// NoticeBound is how late after its due time a breach must be noticed and
// escalated.
const NoticeBound = 60 * time.Second

// Report is what a run found.
type Report struct {
	Days, Claims, Disputes int
	Seed                   uint64
	Tally                  []promise.Tally
	// Story counts what the actors did.
	Story map[string]int
	// Mails counts the kept e-mails by kind.
	Mails map[string]int
	// Refunds counts the refunds the ledger owes, by source, and
	// RefundTotal sums them.
	Refunds     map[string]int
	RefundTotal map[string]money.Money
	// WorkerStopped, WorkerRestarted and RedisFlushed are virtual instants;
	// TasksFlushed is how many queued tasks the flush threw away.
	WorkerStopped, WorkerRestarted, RedisFlushed time.Time
	TasksFlushed                                 int64
	Sweeps                                       int
	// MaxNotice is the longest time between a due time and the breach's
	// notice.
	MaxNotice time.Duration
	// The checks: each a list of what is wrong (empty when it holds).
	Missed, False, Duplicates, Refused []string
	// Elapsed is the run's real duration (not part of the printed tally).
	Elapsed time.Duration
}

// OK reports whether every check held.
func (r Report) OK() bool {
	return len(r.Missed) == 0 && len(r.False) == 0 && len(r.Duplicates) == 0 && len(r.Refused) == 0
}

// Print writes the tally and the checks; the same seed prints the same text.
func (r Report) Print(w io.Writer) {
	fmt.Fprintf(w, "simulated %d days, %d claims, %d disputes, seed %d, sweep every %s\n", r.Days, r.Claims, r.Disputes, r.Seed, SweepEvery)
	fmt.Fprintf(w, "worker stopped %s, restarted %s; redis flushed %s (%d queued tasks lost)\n",
		r.WorkerStopped.Format(time.RFC3339), r.WorkerRestarted.Format(time.RFC3339), r.RedisFlushed.Format(time.RFC3339), r.TasksFlushed)
	fmt.Fprintf(w, "\n%-18s %6s %6s %6s %6s %9s\n", "promise", "kept", "broken", "void", "open", "overdue")
	for _, t := range r.Tally {
		fmt.Fprintf(w, "%-18s %6d %6d %6d %6d %9d\n", t.Kind, t.Kept, t.Broken, t.Void, t.Open, t.OpenOverdue)
	}
	fmt.Fprintf(w, "\nstory: %s\n", pairs(r.Story))
	fmt.Fprintf(w, "e-mails: %s\n", pairs(r.Mails))
	if len(r.Refunds) > 0 {
		fmt.Fprintf(w, "refunds: %s\n", r.refundLine())
	}
	fmt.Fprintf(w, "sweeps: %d; longest time from due to notice: %s\n", r.Sweeps, r.MaxNotice)
	check := func(name string, bad []string) {
		if len(bad) == 0 {
			fmt.Fprintf(w, "ok   %s\n", name)
			return
		}
		fmt.Fprintf(w, "FAIL %s: %d\n", name, len(bad))
		for i, b := range bad {
			if i == 10 {
				fmt.Fprintf(w, "     …\n")
				break
			}
			fmt.Fprintf(w, "     %s\n", b)
		}
	}
	check("every broken promise noticed and escalated within "+NoticeBound.String()+" of its due time", r.Missed)
	check("nothing escalated that was not late", r.False)
	check("no e-mail sent twice", r.Duplicates)
	check("every actor's step accepted", r.Refused)
}

func (r Report) refundLine() string {
	keys := make([]string, 0, len(r.Refunds))
	for k := range r.Refunds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%s %d (%s)", k, r.Refunds[k], r.RefundTotal[k])
	}
	return strings.Join(out, ", ")
}

func pairs(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(out, ", ")
}

// clock is the virtual clock every service reads.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// step is one actor's action at a virtual instant.
type step struct {
	at  time.Time
	seq int
	do  func(ctx context.Context) error
	who string
}

type queue []step

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(step)) }
func (q *queue) Pop() any {
	old := *q
	s := old[len(old)-1]
	*q = old[:len(old)-1]
	return s
}

// run is one simulation's state.
type run struct {
	opt      Options
	app      *app.App
	clock    *clock
	steps    queue
	seq      int
	users    map[string]account.User
	rep      Report
	claims   []*story
	disputes []*disputeStory
}

// centers are the service centers simulated, one per country.
var centers = []center.Center{
	{Code: "BER", Name: "Berlin", Country: "DE", TimeZone: "Europe/Berlin", Address: []string{"Storkower Str. 140", "10407 Berlin"}, Serves: []string{"DE"}},
	{Code: "MAD", Name: "Madrid", Country: "ES", TimeZone: "Europe/Madrid", Address: []string{"Calle de Alcalá 250", "28027 Madrid"}, Serves: []string{"ES"}},
	{Code: "WAW", Name: "Warszawa", Country: "PL", TimeZone: "Europe/Warsaw", Address: []string{"ul. Marszałkowska 100", "00-026 Warszawa"}, Serves: []string{"PL"}},
	{Code: "PAR", Name: "Paris", Country: "FR", TimeZone: "Europe/Paris", Address: []string{"12 rue de Rivoli", "75004 Paris"}, Serves: []string{"FR"}},
}

var buyerLanguages = []string{"en", "ru", "es"}

const buyersPerCountry = 5

// Run simulates opt.Days days with opt.Claims claims.
func Run(ctx context.Context, opt Options) (Report, error) {
	began := time.Now()
	if opt.Days <= 0 || opt.Claims <= 0 || opt.Disputes < 0 {
		return Report{}, errors.New("days and claims must be positive, disputes not negative")
	}
	if opt.Start.IsZero() {
		opt.Start = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	}
	dir, err := os.MkdirTemp("", "rma-sim-")
	if err != nil {
		return Report{}, err
	}
	defer os.RemoveAll(dir)
	st := opt.Store
	if st == nil {
		if st, err = store.OpenSQLite(dir + "/sim.db"); err != nil {
			return Report{}, err
		}
	}
	vars := map[string]string{"RMA_BCRYPT_COST": "4", "RMA_DATA_DIR": dir, "RMA_BASE_URL": "https://rma.example.com",
		"RMA_SECRET": secret()}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		return Report{}, err
	}
	if _, err := st.Migrate(ctx, migrations.FS); err != nil {
		if opt.Store == nil {
			_ = st.Close()
		}
		return Report{}, fmt.Errorf("migrate: %w", err)
	}
	clk := &clock{t: opt.Start}
	a, err := app.Open(ctx, cfg, app.Options{Now: clk.Now, Store: st, Redis: opt.Redis,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		if opt.Store == nil {
			_ = st.Close()
		}
		return Report{}, err
	}
	defer a.Close()
	r := &run{opt: opt, app: a, clock: clk, users: map[string]account.User{},
		rep: Report{Days: opt.Days, Claims: opt.Claims, Disputes: opt.Disputes, Seed: opt.Seed, Story: map[string]int{},
			Mails: map[string]int{}, Refunds: map[string]int{}, RefundTotal: map[string]money.Money{}}}
	if err := r.seed(ctx); err != nil {
		return Report{}, err
	}
	r.plan()
	r.planDisputes()
	if err := r.loop(ctx); err != nil {
		return Report{}, err
	}
	if err := r.check(ctx); err != nil {
		return Report{}, err
	}
	r.rep.Elapsed = time.Since(began)
	return r.rep, nil
}

// secret is the run's signing key: random, as it never leaves the run.
func secret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
