package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"rma/internal/app"
	"rma/internal/config"
	"rma/internal/demo"
)

func serveCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the HTTP service (and, without a shared Redis, the worker on an in-process one)",
		Long: `Run the HTTP service on RMA_ADDR. RMA_DEMO=true loads the demo data first.
Without RMA_REDIS_ADDR the background jobs run here too, on an in-process Redis.
With RMA_METRICS_ADDR, /metrics is served on that address as well.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, logger, err := e.load()
			if err != nil {
				return err
			}
			return serve(cmd.Context(), cfg, logger, e.stdout)
		},
	}
}

// serve runs the service until a signal stops it. It binds its addresses
// before it says it listens, so that a taken port fails at once and names
// its variable.
func serve(ctx context.Context, cfg config.Config, logger *slog.Logger, out io.Writer) error {
	a, err := app.Open(ctx, cfg, app.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer a.Close()
	logger.Info("starting", "config", a.Config.String())
	if cfg.Demo {
		if err := printDemo(ctx, a, out); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("RMA_ADDR: %w", err)
	}
	servers := []*http.Server{{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}}
	listeners := []net.Listener{ln}
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("RMA_METRICS_ADDR: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.Metrics.Handler())
		servers = append(servers, &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second})
		listeners = append(listeners, mln)
	}
	if !cfg.SharedRedis() {
		// Embedded mode: the jobs run here, on the in-process Redis.
		w := a.NewWorker()
		if err := w.Start(ctx); err != nil {
			return err
		}
		defer w.Shutdown()
		go a.RunRetention(ctx)
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	fmt.Fprintf(out, "RMA service listening on %s (%s)\n", ln.Addr(), cfg.BaseURL)
	if cfg.MetricsAddr != "" {
		fmt.Fprintf(out, "metrics on http://%s/metrics\n", listeners[1].Addr())
	}
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var errs []error
	for _, srv := range servers {
		errs = append(errs, srv.Shutdown(shutdown))
	}
	return errors.Join(errs...)
}

func workerCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "worker",
		Short: "Run the background jobs against the shared Redis",
		Long: `Run the background jobs against RMA_REDIS_ADDR (more than one worker is fine).
On SIGTERM running jobs finish or go back to the queue.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, logger, err := e.load()
			if err != nil {
				return err
			}
			if !cfg.SharedRedis() {
				return errors.New("RMA_REDIS_ADDR: the worker needs a Redis shared with `rma serve` " +
					"(embedded mode runs the worker inside serve)")
			}
			return work(cmd.Context(), cfg, logger)
		},
	}
}

// work runs the background worker until a signal stops it; running jobs
// finish or go back to the queue.
func work(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	a, err := app.Open(ctx, cfg, app.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer a.Close()
	w := a.NewWorker()
	if err := w.Start(ctx); err != nil {
		return err
	}
	go a.RunRetention(ctx)
	logger.Info("worker started", "config", a.Config.String())
	<-ctx.Done()
	logger.Info("worker stopping: waiting for running jobs")
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
