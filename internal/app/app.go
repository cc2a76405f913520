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
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/config"
	"rma/internal/coverage"
	"rma/internal/dispute"
	"rma/internal/i18n"
	"rma/internal/mail"
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
	Mailer   *mail.Mailer
	Runner   *worker.Runner
	Relay    *tasks.Relay
	Queue    *asynq.Client
	// Inspector reads the queue's state for admins.
	Inspector *asynq.Inspector
	Reports   *report.Service
	Catalog   *i18n.Catalog
	Handler   http.Handler
	Logger    *slog.Logger

	miniRedis *miniredis.Miniredis
	stopClock context.CancelFunc
}

// Open connects to the database and Redis of cfg and builds the services.
// In embedded mode (no MySQL DSN) it migrates the SQLite database; otherwise
// it refuses a database whose schema is not this build's.
func Open(ctx context.Context, cfg config.Config, opt Options) (*App, error) {
	if err := cfg.EnsureSecret(); err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Logger: opt.Logger}
	if a.Logger == nil {
		a.Logger = slog.Default()
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	if err := a.openStore(ctx, opt.Store); err != nil {
		a.Close()
		return nil, err
	}
	a.Redis = opt.Redis
	if err := a.openRedis(ctx); err != nil {
		a.Close()
		return nil, err
	}
	cat, err := i18n.New()
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Catalog = cat
	a.Accounts = account.NewService(a.Store, account.Hasher{Cost: cfg.BcryptCost}, cfg.TokenTTL, now)
	a.Claims = claim.NewService(a.Store, coverage.NewPolicy(cfg.Coverage), sla.NewCalendars(),
		claim.Settings{ReviewDays: cfg.ReviewDays, ShipByDays: cfg.ShipByDays, ReturnDays: cfg.ReturnDays}, now)
	a.Centers = center.NewService(a.Store, now)
	a.Orders = order.NewService(a.Store, refund.LatePolicy{Percent: int64(cfg.LateDeliveryPercent),
		Fixed: cfg.LateDeliveryFixed, Grace: time.Duration(cfg.LateDeliveryGraceDays) * 24 * time.Hour}, now)
	a.Sellers = seller.NewService(a.Store, now)
	a.Disputes = dispute.NewService(a.Store, sla.NewCalendars(),
		dispute.Settings{SellerDays: cfg.SellerResponseDays, DecisionDays: cfg.DisputeDecisionDays}, now)
	a.Refunds = refund.NewService(a.Store)
	a.Webhooks = webhook.NewService(a.Store, nil, now)
	renderer := slip.NewRenderer(func(lang, key string) string { return cat.T(lang, key, nil) })
	a.Shipping = shipping.NewService(a.Claims, a.Store, slip.NewSigner(cfg.Secret, cfg.BaseURL), renderer, a.Logger)
	if err := a.buildJobs(cfg, now); err != nil {
		a.Close()
		return nil, err
	}
	a.Reports = report.NewService(a.Store, tasks.NewQueueCounts(a.Inspector), a.Claims)
	a.Handler, err = web.New(web.Deps{Accounts: a.Accounts, Claims: a.Claims, Centers: a.Centers, Orders: a.Orders,
		Sellers: a.Sellers, Disputes: a.Disputes, Refunds: a.Refunds,
		Webhooks: a.Webhooks,
		Shipping: a.Shipping, Mailer: a.Mailer, Reports: a.Reports, Catalog: cat, Logger: a.Logger,
		Secret: cfg.Secret, BaseURL: cfg.BaseURL,
		Limits: opt.Limits, Health: map[string]web.Pinger{"database": a.Store, "queue": redisPinger{a.Redis}}})
	if err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) openStore(ctx context.Context, given *store.Store) error {
	if given != nil {
		a.Store = given
		return nil
	}
	var err error
	if a.Config.Embedded() {
		if a.Store, err = store.OpenSQLite(a.Config.SQLitePath()); err != nil {
			return err
		}
		if _, err := a.Store.Migrate(ctx, migrations.FS); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		return nil
	}
	if a.Store, err = store.OpenMySQL(a.Config.MySQLDSN); err != nil {
		return err
	}
	return a.Store.CheckSchema(ctx, migrations.FS)
}

// buildJobs wires the mailer, the job runner, the queue client and the
// outbox relay.
func (a *App) buildJobs(cfg config.Config, now func() time.Time) error {
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
	a.Runner = worker.NewRunner(a.Store, a.Claims, a.Shipping, a.Mailer, composer, a.Logger)
	a.Runner.SetDisputes(a.Disputes, a.Orders)
	a.Runner.SetWebhooks(a.Webhooks)
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

// openRedis connects to the configured Redis, or starts an in-process one
// whose clock is advanced in the background so that asynq's leases expire.
func (a *App) openRedis(ctx context.Context) error {
	if a.Redis != nil {
		return a.Redis.Ping(ctx).Err()
	}
	addr := a.Config.RedisAddr
	if addr == "" {
		m := miniredis.NewMiniRedis()
		if err := m.Start(); err != nil {
			return fmt.Errorf("start in-process redis: %w", err)
		}
		a.miniRedis, addr = m, m.Addr()
		cctx, cancel := context.WithCancel(context.Background())
		a.stopClock = cancel
		go advance(cctx, m)
	}
	a.Redis = redis.NewClient(&redis.Options{Addr: addr})
	if err := a.Redis.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("RMA_REDIS_ADDR: redis at %s does not answer: %w", addr, err)
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
