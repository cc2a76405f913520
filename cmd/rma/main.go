// Command rma is the warranty RMA service: one binary with the subcommands
// serve, worker, migrate, users, demo, sweep, simulate and version. Each command
// reads the configuration only when it runs (so --help never needs a valid
// one) and opens only what it needs: migrate the database, users and demo
// the database and the domain services, serve, worker and sweep the
// database and Redis.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // center time zones work on hosts without zoneinfo

	"github.com/spf13/cobra"

	"rma/internal/config"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := env{getenv: os.Getenv, environ: os.Environ(), stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	err := newRoot(e).ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rma:", err)
		os.Exit(1)
	}
}

// env is what a command gets from the process: tests give their own.
type env struct {
	getenv         func(string) string
	environ        []string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// load reads the configuration and builds the logger it asks for. Unknown
// RMA_ variables are reported: a typo would otherwise leave a setting at
// its default without a word.
func (e env) load() (config.Config, *slog.Logger, error) {
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return cfg, nil, fmt.Errorf("configuration:\n%w", err)
	}
	var h slog.Handler = slog.NewTextHandler(e.stderr, nil)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(e.stderr, nil)
	}
	logger := slog.New(h)
	slog.SetDefault(logger)
	for _, name := range config.Unknown(e.environ) {
		logger.Warn("unknown variable ignored: is it a typo?", "variable", name)
	}
	return cfg, logger, nil
}

func newRoot(e env) *cobra.Command {
	root := &cobra.Command{
		Use:   "rma",
		Short: "Warranty claims and service-center repairs",
		Long: `rma runs the warranty RMA service and its maintenance tasks.

Configuration comes from the environment (RMA_ADDR, RMA_MYSQL_DSN, RMA_DATA_DIR,
RMA_REDIS_ADDR, RMA_BASE_URL, RMA_SECRET, ...); see the README's configuration
reference. --help on any command prints help and does nothing else.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.AddCommand(serveCmd(e), workerCmd(e), migrateCmd(e), usersCmd(e), demoCmd(e), sweepCmd(e), versionCmd(e), probeCmd(e), purgeCmd(e), simulateCmd(e))
	return root
}
