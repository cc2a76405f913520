// Command rma is the warranty RMA service: one binary with the subcommands
// serve, migrate, users and demo.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // center time zones work on hosts without zoneinfo

	"rma/internal/account"
	"rma/internal/app"
	"rma/internal/config"
	"rma/internal/demo"
	"rma/internal/store"
	"rma/migrations"
)

const usage = `usage: rma <command> [flags]

commands:
  serve                 run the HTTP service (RMA_DEMO=true loads demo data); without
                        RMA_REDIS_ADDR it also runs the worker on an in-process Redis
  worker                run the background jobs (needs RMA_REDIS_ADDR)
  migrate               apply database migrations
  users add --email E --role R [--center C] [--name N] [--language L]
                        create a user; the password is read from stdin
  demo                  load the demo data into the database
  sweep [--at TIME]     run every job that is due (as of TIME, RFC 3339: moves the
                        clock forward to show reminders and escalations)

configuration comes from the environment (RMA_ADDR, RMA_MYSQL_DSN, RMA_DATA_DIR,
RMA_REDIS_ADDR, RMA_BASE_URL, RMA_SECRET, ...); see README.md.
`

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(logger)
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rma:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return errors.New("no command given")
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "serve":
		return serve(ctx, cfg, stdout)
	case "worker":
		return work(ctx, cfg)
	case "migrate":
		return migrate(ctx, cfg, stdout)
	case "users":
		if len(args) < 2 || args[1] != "add" {
			return errors.New("usage: rma users add --email E --role R [--center C] [--name N]")
		}
		return addUser(ctx, cfg, args[2:], stdin, stdout)
	case "demo":
		return seedDemo(ctx, cfg, stdout)
	case "sweep":
		return sweep(ctx, cfg, args[1:], stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

func serve(ctx context.Context, cfg config.Config, out io.Writer) error {
	if err := cfg.EnsureSecret(); err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	slog.Info("starting", "config", cfg.String())
	if cfg.Demo {
		if err := printDemo(ctx, a, out); err != nil {
			return err
		}
	}
	if cfg.RedisAddr == "" {
		// Embedded mode: the jobs run here, on the in-process Redis.
		w := a.NewWorker()
		if err := w.Start(ctx); err != nil {
			return err
		}
		defer w.Shutdown()
	}
	srv := &http.Server{Addr: cfg.Addr, Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	fmt.Fprintf(out, "RMA service listening on %s (%s)\n", cfg.Addr, cfg.BaseURL)
	select {
	case err := <-errc:
		return fmt.Errorf("RMA_ADDR: %w", err)
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// work runs the background worker until a signal stops it; running jobs
// finish or go back to the queue.
func work(ctx context.Context, cfg config.Config) error {
	if cfg.RedisAddr == "" {
		return errors.New("RMA_REDIS_ADDR: the worker needs a Redis shared with `rma serve` (embedded mode runs the worker inside serve)")
	}
	a, err := app.Open(ctx, cfg, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	w := a.NewWorker()
	if err := w.Start(ctx); err != nil {
		return err
	}
	slog.Info("worker started", "config", cfg.String())
	<-ctx.Done()
	slog.Info("worker stopping: waiting for running jobs")
	w.Shutdown()
	return nil
}

func printDemo(ctx context.Context, a *app.App, out io.Writer) error {
	logins, err := demo.Seed(ctx, demo.Services{Accounts: a.Accounts, Centers: a.Centers, Orders: a.Orders,
		Claims: a.Claims, Sellers: a.Sellers, Disputes: a.Disputes}, time.Now())
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	fmt.Fprintf(out, "\nDemo accounts (password %q):\n", demo.Password)
	for _, l := range logins {
		fmt.Fprintf(out, "  %-26s %-11s %s\n", l.Email, l.Role, l.Note)
	}
	fmt.Fprintln(out)
	return nil
}

func openStore(cfg config.Config) (*store.Store, error) {
	if cfg.Embedded() {
		return store.OpenSQLite(cfg.SQLitePath())
	}
	return store.OpenMySQL(cfg.MySQLDSN)
}

func migrate(ctx context.Context, cfg config.Config, out io.Writer) error {
	st, err := openStore(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Migrate(ctx, migrations.FS)
	if err != nil {
		return err
	}
	applied, _, err := st.SchemaVersion(ctx, migrations.FS)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "applied %d migrations; schema at version %d\n", n, applied)
	return nil
}

func addUser(ctx context.Context, cfg config.Config, args []string, stdin io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("users add", flag.ContinueOnError)
	email := fs.String("email", "", "e-mail address (required)")
	role := fs.String("role", "", "buyer, rep, technician or admin (required)")
	centerCode := fs.String("center", "", "service center code (technicians)")
	name := fs.String("name", "", "display name (defaults to the e-mail)")
	lang := fs.String("language", "en", "en, ru or es")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *name == "" {
		*name = *email
	}
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password from stdin: %w", err)
	}
	a, err := app.Open(ctx, cfg, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Accounts.Create(ctx, account.NewUser{Email: *email, Name: *name, Role: account.Role(*role),
		Password: strings.TrimRight(password, "\r\n"), Language: *lang, CenterCode: *centerCode})
	if err != nil {
		return describe(a, err)
	}
	fmt.Fprintf(out, "created %s %s (%s)\n", u.Role, u.Email, u.ID)
	return nil
}

// describe spells out a validation error for the terminal.
func describe(a *app.App, err error) error {
	msg := a.Catalog.T("en", reasonOf(err), nil)
	if fields := fieldsOf(err); len(fields) > 0 {
		for f, reason := range fields {
			msg += fmt.Sprintf("\n  %s: %s", f, a.Catalog.T("en", reason, nil))
		}
	}
	return errors.New(msg)
}

// sweep runs the due jobs once, optionally as if the time were --at: the
// way to see the clocks' reminders, escalations and expiries without
// waiting days. Jobs it runs are done for good.
func sweep(ctx context.Context, cfg config.Config, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	at := fs.String("at", "", "the time to run as, RFC 3339 (default: now)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	now := time.Now().UTC()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return fmt.Errorf("--at: %w", err)
		}
		now = t.UTC()
	}
	a, err := app.Open(ctx, cfg, app.Options{Now: func() time.Time { return now }})
	if err != nil {
		return err
	}
	defer a.Close()
	a.Runner.Grace = 0
	n, err := a.Runner.Sweep(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "ran %d due jobs as of %s\n", n, now.Format(time.RFC3339))
	return nil
}

func seedDemo(ctx context.Context, cfg config.Config, out io.Writer) error {
	a, err := app.Open(ctx, cfg, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	return printDemo(ctx, a, out)
}
