package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hibiken/asynq"

	"rma/internal/metrics"
	"rma/internal/store"
	"rma/internal/tasks"
	"rma/internal/web"
)

// metricsSource reads the series Prometheus gets at each scrape from the
// database and the queue.
type metricsSource struct {
	store     *store.Store
	inspector *asynq.Inspector
	now       func() time.Time
}

func (m metricsSource) JobCounts(ctx context.Context) ([]metrics.Count, error) {
	return m.store.JobCounts(ctx)
}

func (m metricsSource) MailCounts(ctx context.Context) ([]metrics.Count, error) {
	return m.store.MailCounts(ctx)
}

func (m metricsSource) Promises(ctx context.Context) ([]metrics.Count, error) {
	return m.store.PromiseCounts(ctx, m.now())
}

func (m metricsSource) QueueDepth(context.Context) ([]metrics.Count, error) {
	queues, err := m.inspector.Queues()
	if err != nil {
		return nil, err
	}
	all := queues
	if !slices.Contains(all, tasks.Queue) {
		all = append(all, tasks.Queue)
	}
	var out []metrics.Count
	for _, q := range all {
		info := &asynq.QueueInfo{Queue: q} // a queue nothing was ever put in: all zero
		if slices.Contains(queues, q) {
			if info, err = m.inspector.GetQueueInfo(q); err != nil {
				return out, err
			}
		}
		for state, n := range map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
			"retry": info.Retry, "archived": info.Archived} {
			out = append(out, metrics.Count{Labels: []string{q, state}, N: float64(n)})
		}
	}
	return out, nil
}

// readiness lists what /readyz reports: the database (required), Redis,
// and a worker whose heartbeat asynq saw in the last minute.
func (a *App) readiness() []web.ReadyCheck {
	return []web.ReadyCheck{
		{Name: "database", Required: true, Check: a.Store.PingContext},
		{Name: "redis", Check: func(ctx context.Context) error { return a.Redis.Ping(ctx).Err() }},
		{Name: "worker", Check: func(context.Context) error {
			servers, err := a.Inspector.Servers()
			if err != nil {
				return fmt.Errorf("read worker heartbeats: %w", err)
			}
			for _, s := range servers {
				if s.Status == "active" || s.Status == "running" {
					return nil
				}
			}
			return errors.New("no worker has been seen in the last minute")
		}},
	}
}
