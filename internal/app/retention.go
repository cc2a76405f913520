package app

import (
	"context"
	"time"

	"rma/internal/store"
)

// Purge removes what the configured retention lets go, as of now.
func (a *App) Purge(ctx context.Context) (store.Purged, error) {
	now := a.now()
	days := func(n int) time.Time {
		if n <= 0 {
			return time.Time{} // kept for ever
		}
		return now.AddDate(0, 0, -n)
	}
	r := a.Config.Retention
	return a.Store.Purge(ctx, store.Retention{Tokens: days(r.TokenDays), Mail: days(r.MailDays),
		Slips: days(r.SlipDays), Jobs: days(r.JobDays)})
}

// RunRetention purges at start and then once a day until ctx ends. Every
// process running jobs runs it; the deletes are idempotent, so two at once
// only repeat each other.
func (a *App) RunRetention(ctx context.Context) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		purged, err := a.Purge(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			a.Logger.Error("retention purge failed", "err", err)
		case err == nil:
			a.Logger.Info("retention purge", "log", "audit", "tokens", purged["tokens"], "links", purged["links"],
				"mail", purged["mail"], "slips", purged["slips"], "jobs", purged["jobs"])
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
