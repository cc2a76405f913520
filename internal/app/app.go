// Package app is the composition root: configuration in, a database, a Redis
// connection, the stores, the services and the HTTP handler out.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"rma/internal/account"
	"rma/internal/bench"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/config"
	"rma/internal/coverage"
	"rma/internal/desk"
	"rma/internal/dispute"
	"rma/internal/evidence"
	"rma/internal/i18n"
	"rma/internal/limit"
	"rma/internal/mail"
	"rma/internal/metrics"
	"rma/internal/notify"
	"rma/internal/order"
	"rma/internal/refund"
	"rma/internal/report"
	"rma/internal/seller"
	"rma/internal/shipping"
	"rma/internal/sla"
	"rma/internal/slip"
	"rma/internal/store"
	"rma/internal/tasks"
	"rma/internal/web"
	"rma/internal/webhook"
	"rma/internal/worker"
	"rma/migrations"
)

// Options adjust what the configuration does not cover; tests use them.
type Options struct {
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Store is an already opened database (the configuration's otherwise).
	Store *store.Store
	// Redis is an already connected Redis (the configuration's otherwise).
	Redis redis.UniversalClient
	// Limits override the HTTP rate limits.
	Limits web.Limits
	Logger *slog.Logger
	// RunLateJobsNow makes the sweep run every job whose time has passed,
	// without the grace left to the queue (the sweep command).
	RunLateJobsNow bool
	// OnActivationLock is told when an intake check finds the activation
	// lock on or confirms it off (the promise ledger's pause).
	OnActivationLock bench.LockHook
}

// App is a running service's parts.
type App struct {
	Config   config.Config
	Store    *store.Store
	Redis    redis.UniversalClient
	Accounts *account.Service
	Claims   *claim.Service
	Centers  *center.Service
	Orders   *order.Service
	Sellers  *seller.Service
	Disputes *dispute.Service
	Refunds  *refund.Service
	Webhooks *webhook.Service
	Shipping *shipping.Service
	Evidence *evidence.Service
	// DisputeFiles keeps the evidence of disputes.
	DisputeFiles *evidence.DisputeFiles
	// ReturnSlips prints disputes' return slips and reads them back.
	ReturnSlips *shipping.ReturnSlips
	Bench       *bench.Service
	Blobs       evidence.Blobs
	Mailer      *mail.Mailer
	Runner      *worker.Runner
	Relay       *tasks.Relay
	Queue       *asynq.Client
	// Inspector reads the queue's state for admins.
	Inspector *asynq.Inspector
	Reports   *report.Service
	Catalog   *i18n.Catalog
	Handler   http.Handler
	Logger    *slog.Logger
	// Metrics are the Prometheus series (served by the handler with a
	// token, or on RMA_METRICS_ADDR by serve).
	Metrics *metrics.Metrics

	now       func() time.Time
	miniRedis *miniredis.Miniredis
	stopClock context.CancelFunc
}

// Open connects to the database and Redis of cfg and builds the services
// and the HTTP handler: what serve, worker and sweep need. In embedded mode
// (no MySQL DSN) it migrates the SQLite database; otherwise it refuses a
// database whose schema is not this build's.
func Open(ctx context.Context, cfg config.Config, opt Options) (*App, error) {
	if err := cfg.EnsureSecret(); err != nil {
		return nil, err
	}
	a, err := OpenCore(ctx, cfg, opt)
	if err != nil {
		return nil, err
	}
	if err := a.openQueue(ctx, cfg, opt); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// OpenCore opens the database and builds the domain services, without
// Redis, the queue or HTTP: what the users and demo commands need.
func OpenCore(ctx context.Context, cfg config.Config, opt Options) (*App, error) {
	a := &App{Config: cfg, Logger: opt.Logger, now: opt.Now}
	if a.Logger == nil {
		a.Logger = slog.Default()
	}
	if a.now == nil {
		a.now = time.Now
	}
	if err := a.openStore(ctx, opt.Store); err != nil {
		a.Close()
		return nil, err
	}
	cat, err := i18n.New()
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Catalog = cat
	a.Accounts = account.NewService(a.Store, account.Hasher{Cost: cfg.BcryptCost}, cfg.TokenTTL, a.now)
	a.Claims = claim.NewService(a.Store, coverage.NewPolicy(cfg.Coverage), sla.NewCalendars(),
		claim.Settings{ReviewDays: cfg.ReviewDays, ShipByDays: cfg.ShipByDays, ReturnDays: cfg.ReturnDays,
			ActivationLockCapDays: cfg.ActivationLockCapDays}, a.now)
	a.Centers = center.NewService(a.Store, a.now)
	a.Orders = order.NewService(a.Store, refund.LatePolicy{Percent: int64(cfg.LateDeliveryPercent),
		Fixed: cfg.LateDeliveryFixed, Grace: time.Duration(cfg.LateDeliveryGraceDays) * 24 * time.Hour}, a.now)
	a.Sellers = seller.NewService(a.Store, a.now)
	a.Disputes = dispute.NewService(a.Store, sla.NewCalendars(),
		dispute.Settings{SellerDays: cfg.SellerResponseDays, DecisionDays: cfg.DisputeDecisionDays,
			ReturnConfirmDays: cfg.ReturnConfirmDays}, a.now)
	a.Refunds = refund.NewService(a.Store)
	a.Webhooks = webhook.NewService(a.Store, nil, a.now)
	return a, nil
}

// openQueue adds to the core what needs the secret and Redis: slips, the
// mailer, the jobs and the HTTP handler.
func (a *App) openQueue(ctx context.Context, cfg config.Config, opt Options) error {
	a.Redis = opt.Redis
	if err := a.openRedis(ctx); err != nil {
		return err
	}
	cat := a.Catalog
	renderer := slip.NewRenderer(cat)
	a.Shipping = shipping.NewService(a.Claims, a.Store, slip.NewSigner(cfg.Secret, cfg.BaseURL, cfg.SecretPrevious), renderer, a.Logger)
	a.ReturnSlips = shipping.NewReturnSlips(a.Disputes, a.Sellers, slip.NewSigner(cfg.Secret, cfg.BaseURL, cfg.SecretPrevious), renderer)
	if err := a.openBlobs(ctx); err != nil {
		return err
	}
	a.Evidence = evidence.NewService(a.Claims, a.Store, a.Blobs, a.Logger)
	a.DisputeFiles = evidence.NewDisputeFiles(a.Disputes, a.Store, a.Blobs, a.Logger)
	a.Bench = bench.NewService(a.Claims, a.Store, a.Logger, a.holdReturn(opt.OnActivationLock))
	grace := worker.DefaultGrace
	if opt.RunLateJobsNow {
		grace = 0
	}
	if err := a.buildJobs(cfg, a.now, grace); err != nil {
		return err
	}
	a.Metrics = metrics.New(metricsSource{store: a.Store, inspector: a.Inspector, now: a.now})
	var counter limit.Counter // in memory with the in-process Redis, which only this process sees
	if a.miniRedis == nil {
		counter = limit.NewRedis(a.Redis, "rma:limit:")
	}
	var err error
	links := account.NewLinks(a.Accounts, a.Store, accountLetters{cat: cat, mailer: a.Mailer}, cfg.BaseURL, 24*time.Hour)
	a.Reports = report.NewService(a.Store, tasks.NewQueueCounts(a.Inspector), a.Claims)
	a.Handler, err = web.New(web.Deps{Accounts: a.Accounts, Links: links, Claims: a.Claims, Centers: a.Centers, Orders: a.Orders,
		Sellers: a.Sellers, Disputes: a.Disputes, Refunds: a.Refunds, Webhooks: a.Webhooks,
		Shipping: a.Shipping, Evidence: a.Evidence, DisputeFiles: a.DisputeFiles, ReturnSlips: a.ReturnSlips, Bench: a.Bench, Mailer: a.Mailer, Reports: a.Reports,
		Desk: desk.NewService(a.Store, a.Claims), JobAdmin: a.Runner,
		Catalog: cat, Logger: a.Logger,
		Secret: cfg.Secret, BaseURL: cfg.BaseURL,
		Limits: opt.Limits, Health: map[string]web.Pinger{"database": a.Store, "queue": redisPinger{a.Redis}},
		RateCounter: counter, Metrics: a.Metrics, MetricsToken: cfg.MetricsToken, Ready: a.readiness()})
	return err
}

func (a *App) openStore(ctx context.Context, given *store.Store) error {
	if given != nil {
		a.Store = given
		return nil
	}
	st, err := OpenStore(ctx, a.Config)
	if err != nil {
		return err
	}
	a.Store = st
	if a.Config.Embedded() {
		if _, err := a.Store.Migrate(ctx, migrations.FS); err != nil {
			return fmt.Errorf("migrate %s: %w", a.Config.SQLitePath(), err)
		}
		return nil
	}
	return a.Store.CheckSchema(ctx, migrations.FS)
}

// OpenStore opens the configured database and checks that it answers: the
// one way every command reaches it. Its errors name the variable to fix.
func OpenStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	name, open := "RMA_DATA_DIR", func() (*store.Store, error) { return store.OpenSQLite(cfg.SQLitePath()) }
	if !cfg.Embedded() {
		name, open = "RMA_MYSQL_DSN", func() (*store.Store, error) { return store.OpenMySQL(cfg.MySQLDSN) }
	}
	st, err := open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := st.PingContext(pctx); err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("%s: the database does not answer: %w", name, err)
	}
	return st, nil
}

// openBlobs opens the attachments' storage: RMA_BLOB_URL when set, else a
// directory under the data dir.
func (a *App) openBlobs(ctx context.Context) error {
	var err error
	if a.Config.BlobURL != "" {
		a.Blobs, err = evidence.OpenURL(ctx, a.Config.BlobURL)
	} else {
		a.Blobs, err = evidence.OpenDir(a.Config.BlobDir())
	}
	if err != nil {
		return fmt.Errorf("attachments storage: %w", err)
	}
	return nil
}

// buildJobs wires the mailer, the job runner, the queue client and the
// outbox relay.
func (a *App) buildJobs(cfg config.Config, now func() time.Time, grace time.Duration) error {
	var transport mail.Transport
	if cfg.SMTPURL != "" {
		smtp, err := mail.ParseSMTPURL(cfg.SMTPURL)
		if err != nil {
			return fmt.Errorf("RMA_SMTP_URL: %w", err)
		}
		transport = smtp
	}
	a.Mailer = mail.NewMailer(a.Store, transport, now)
	composer, err := notify.NewComposer(a.Catalog)
	if err != nil {
		return err
	}
	a.Runner = worker.NewRunner(a.Store, a.Claims, a.Shipping, a.Mailer, composer, a.Logger, grace,
		worker.Basic{Disputes: a.Disputes, Late: a.Orders, Webhooks: a.Webhooks, Tell: a.Refunds})
	a.Queue = asynq.NewClientFromRedisClient(a.Redis)
	a.Inspector = asynq.NewInspectorFromRedisClient(a.Redis)
	a.Relay = tasks.NewRelay(a.Store, a.Queue, a.Logger, now)
	return nil
}

// NewWorker returns the background worker (asynq server, sweep schedule,
// outbox relay) on this app's Redis.
func (a *App) NewWorker() *worker.Worker {
	return worker.New(a.Redis, a.Runner, a.Relay, a.Logger, worker.Options{
		Concurrency: a.Config.WorkerConcurrency, SweepEvery: a.Config.SweepEvery})
}

// openRedis connects to the configured Redis (RMA_REDIS_URL), or starts an
// in-process one whose clock is advanced in the background so that asynq's
// leases expire.
func (a *App) openRedis(ctx context.Context) error {
	if a.Redis != nil {
		return a.Redis.Ping(ctx).Err()
	}
	if a.Config.RedisURL == "" {
		m := miniredis.NewMiniRedis()
		if err := m.Start(); err != nil {
			return fmt.Errorf("start in-process redis: %w", err)
		}
		a.miniRedis = m
		cctx, cancel := context.WithCancel(context.Background())
		a.stopClock = cancel
		go advance(cctx, m)
		a.Redis = redis.NewClient(&redis.Options{Addr: m.Addr()})
		return a.Redis.Ping(ctx).Err()
	}
	var err error
	if a.Redis, err = config.RedisClient(a.Config.RedisURL, a.Config.RedisCluster); err != nil {
		return fmt.Errorf("%s: %w", a.Config.RedisVar, err)
	}
	if err := a.Redis.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("%s: redis at %s does not answer: %w", a.Config.RedisVar, a.Config.RedisAddr, err)
	}
	return nil
}

// advance moves the in-process Redis's clock with real time: miniredis
// expires keys only when told to.
func advance(ctx context.Context, m *miniredis.Miniredis) {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.FastForward(250 * time.Millisecond)
		}
	}
}

// Close releases every connection.
func (a *App) Close() {
	if a.stopClock != nil {
		a.stopClock()
	}
	if a.Queue != nil {
		_ = a.Queue.Close()
	}
	if a.Redis != nil {
		_ = a.Redis.Close()
	}
	if a.miniRedis != nil {
		a.miniRedis.Close()
	}
	if a.Store != nil {
		_ = a.Store.Close()
	}
	if a.Blobs != nil {
		_ = a.Blobs.Close()
	}
}

type redisPinger struct{ c redis.UniversalClient }

func (p redisPinger) Ping() error {
	if p.c == nil {
		return errors.New("no redis")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return p.c.Ping(ctx).Err()
}

// holdReturn pauses the return promise while a device's activation lock is
// on, and resumes it when it is off; then tells also, when given, whoever
// else listens.
func (a *App) holdReturn(also bench.LockHook) bench.LockHook {
	return func(ctx context.Context, c claim.Claim, on bool, at time.Time) {
		if err := a.Claims.HoldReturn(ctx, c.RMANumber, on); err != nil {
			a.Logger.Error("activation lock: return promise not updated", "claim", c.RMANumber, "err", err)
		}
		if also != nil {
			also(ctx, c, on, at)
		}
	}
}
