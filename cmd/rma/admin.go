package main

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"rma/internal/app"
	"rma/internal/store"
	"rma/migrations"
)

func migrateCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply the database migrations",
		Long: oneLine(`Apply the SQL migrations this build holds to the configured database. It
opens the database only (no Redis). A database migrated by a newer build is
refused, naming both versions: restore the backup taken before the upgrade, or
run the newer build.`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, _, err := e.load()
			if err != nil {
				return err
			}
			st, err := app.OpenStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := st.Migrate(cmd.Context(), migrations.FS)
			if err != nil {
				return err
			}
			applied, _, err := st.SchemaVersion(cmd.Context(), migrations.FS)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "applied %d migrations; schema at version %d\n", n, applied)
			return nil
		},
	}
}

func demoCmd(e env) *cobra.Command {
	var onShared bool
	c := &cobra.Command{
		Use:   "demo",
		Short: "Load the demo data (accounts with a published password: never on a real database)",
		Long: oneLine(`Load the demo centers, orders, claims and accounts, among them
admin@example.com, all with the published password demo-pass-2026. It refuses a
MySQL database unless --on-shared-database is given.`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, logger, err := e.load()
			if err != nil {
				return err
			}
			if !cfg.Embedded() && !onShared {
				return errors.New("RMA_MYSQL_DSN: refusing to load demo accounts with a published password " +
					"into a MySQL database; pass --on-shared-database if that is really meant")
			}
			a, err := app.OpenCore(cmd.Context(), cfg, app.Options{Logger: logger})
			if err != nil {
				return err
			}
			defer a.Close()
			return printDemo(cmd.Context(), a, e.stdout)
		},
	}
	c.Flags().BoolVar(&onShared, "on-shared-database", false, "load the demo data into a MySQL database too")
	return c
}

func sweepCmd(e env) *cobra.Command {
	var at string
	c := &cobra.Command{
		Use:   "sweep",
		Short: "Run every job that is due, as of --at",
		Long: oneLine(`Run every job that is due once, as of --at (RFC 3339): moves the clock
forward to show the reminders, escalations and expiries without waiting days.
What it runs is done for good.`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			now := time.Now().UTC()
			if at != "" {
				t, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return fmt.Errorf("--at: %w", err)
				}
				now = t.UTC()
			}
			cfg, logger, err := e.load()
			if err != nil {
				return err
			}
			a, err := app.Open(cmd.Context(), cfg, app.Options{Logger: logger, RunLateJobsNow: true,
				Now: func() time.Time { return now }})
			if err != nil {
				return err
			}
			defer a.Close()
			n, err := a.Runner.Sweep(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "ran %d due jobs as of %s\n", n, now.Format(time.RFC3339))
			return nil
		},
	}
	c.Flags().StringVar(&at, "at", "", "the time to run as, RFC 3339 (default: now)")
	return c
}

func versionCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the build's version, its schema version and its Go version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			schema, err := store.KnownVersion(migrations.FS)
			if err != nil {
				return err
			}
			rev := ""
			if info, ok := debug.ReadBuildInfo(); ok {
				for _, s := range info.Settings {
					if s.Key == "vcs.revision" {
						rev = " " + s.Value
					}
				}
			}
			fmt.Fprintf(e.stdout, "rma %s%s (schema version %d, %s)\n", version, rev, schema, runtime.Version())
			return nil
		},
	}
}

func purgeCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "purge",
		Short: "Remove what the retention settings let go (the worker does it daily)",
		Long: oneLine(`Delete expired or revoked sessions, tokens and e-mailed links, kept e-mails,
rendered slips and finished jobs older than the RMA_RETENTION_*_DAYS settings.
The worker (and serve in embedded mode) runs this at start and once a day.`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, logger, err := e.load()
			if err != nil {
				return err
			}
			a, err := app.OpenCore(cmd.Context(), cfg, app.Options{Logger: logger})
			if err != nil {
				return err
			}
			defer a.Close()
			purged, err := a.Purge(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "purged %d tokens, %d links, %d e-mails, %d slips, %d jobs\n", purged["tokens"],
				purged["links"], purged["mail"], purged["slips"], purged["jobs"])
			return nil
		},
	}
}
