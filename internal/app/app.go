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
	"github.com/redis/go-redis/v9"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/config"
	"rma/internal/coverage"
	"rma/internal/i18n"
	"rma/internal/order"
	"rma/internal/shipping"
	"rma/internal/sla"
	"rma/internal/slip"
	"rma/internal/store"
	"rma/internal/web"
	"rma/migrations"
)

// Options adjust what the configuration does not cover; tests use them.
type Options struct {
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Store is an already opened database (the configuration's otherwise).
	Store *store.Store
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
	Shipping *shipping.Service
	Catalog  *i18n.Catalog
	Handler  http.Handler
	Logger   *slog.Logger

	miniRedis *miniredis.Miniredis
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
	a.Orders = order.NewService(a.Store, now)
	renderer := slip.NewRenderer(func(lang, key string) string { return cat.T(lang, key, nil) })
	a.Shipping = shipping.NewService(a.Claims, a.Store, slip.NewSigner(cfg.Secret, cfg.BaseURL), renderer, a.Logger)
	a.Handler, err = web.New(web.Deps{Accounts: a.Accounts, Claims: a.Claims, Centers: a.Centers, Orders: a.Orders,
		Shipping: a.Shipping, Catalog: cat, Logger: a.Logger, Limits: opt.Limits,
		Health: map[string]web.Pinger{"database": a.Store, "queue": redisPinger{a.Redis}}})
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

// openRedis connects to the configured Redis, or starts an in-process one.
func (a *App) openRedis(ctx context.Context) error {
	addr := a.Config.RedisAddr
	if addr == "" {
		m := miniredis.NewMiniRedis()
		if err := m.Start(); err != nil {
			return fmt.Errorf("start in-process redis: %w", err)
		}
		a.miniRedis, addr = m, m.Addr()
	}
	a.Redis = redis.NewClient(&redis.Options{Addr: addr})
	if err := a.Redis.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("RMA_REDIS_ADDR: redis at %s does not answer: %w", addr, err)
	}
	return nil
}

// Close releases every connection.
func (a *App) Close() {
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
