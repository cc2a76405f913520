package main

import (
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"rma/internal/config"
	"rma/internal/sim"
)

func simulateCmd(e env) *cobra.Command {
	var days, claims, disputes int
	var seed uint64
	c := &cobra.Command{
		Use:   "simulate",
		Short: "Run a simulated month on a virtual clock and check every promise",
		Long: oneLine(`Run --days of --claims claims through the real services on a virtual
clock, in a fresh SQLite database of its own: buyers file, reps answer (some late, some
with a question), buyers send (some never), technicians in Germany, Spain, Poland and
France receive, repair or replace and ship back (some late), with each country's
holidays. Under Basic protection, --disputes orders (some delivered late or never)
end in a dispute: sellers accept, offer or refuse (some never answer, and the sweep
escalates), buyers take offers or escalate, reps decide (some late), returned items
are confirmed by the seller or, after the seller's days, by the system. Midway the worker is stopped and restarted, and Redis is flushed once. It
prints the promise ledger by kind and the refunds owed, and checks that every broken promise was noticed
and escalated within a minute of its due time, that nothing was escalated that was
not late and that no e-mail went out twice; it fails when a check fails. The same
--seed prints the same report. Redis is an in-process one, or the one of
RMA_TEST_REDIS_ADDR (database 12) or RMA_REDIS_URL when set: its database is
flushed, so never point it at a live deployment's.`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if days < 1 || days > 366 || claims < 1 || claims > 1_000_000 {
				return errors.New("--days must be 1 to 366 and --claims 1 to 1000000")
			}
			if disputes < 0 {
				disputes = claims / 3
			}
			if disputes > 1_000_000 {
				return errors.New("--disputes must be 0 to 1000000")
			}
			opt := sim.Options{Days: days, Claims: claims, Disputes: disputes, Seed: seed, Progress: e.stderr}
			switch addr, url := e.getenv("RMA_TEST_REDIS_ADDR"), e.getenv("RMA_REDIS_URL"); {
			case addr != "":
				opt.Redis = redis.NewClient(&redis.Options{Addr: addr, DB: 12})
			case url != "":
				rdb, err := config.RedisClient(url, false)
				if err != nil {
					return fmt.Errorf("RMA_REDIS_URL: %w", err)
				}
				opt.Redis = rdb
			}
			rep, err := sim.Run(cmd.Context(), opt)
			if err != nil {
				return err
			}
			rep.Print(e.stdout)
			fmt.Fprintf(e.stderr, "took %s\n", rep.Elapsed.Round(1e6))
			if !rep.OK() {
				return errors.New("the simulated month broke a check")
			}
			return nil
		},
	}
	c.Flags().IntVar(&days, "days", 30, "days to simulate")
	c.Flags().IntVar(&claims, "claims", 300, "claims filed over those days")
	c.Flags().IntVar(&disputes, "disputes", -1, "orders that end in a dispute with their seller (Basic protection); default a third of --claims")
	c.Flags().Uint64Var(&seed, "seed", 1, "the dice's seed: the same seed tells the same story")
	return c
}
