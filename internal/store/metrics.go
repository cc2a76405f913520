package store

import (
	"context"
	"time"

	"rma/internal/metrics"
	"rma/internal/promise"
)

// JobCounts counts outbox jobs by kind and state: pending (not tried),
// failing (tried, not done) and done.
func (s *Store) JobCounts(ctx context.Context) ([]metrics.Count, error) {
	var rows []struct {
		Kind  string
		State string
		N     int64
	}
	err := s.db.WithContext(ctx).Table("jobs").Select(`kind, CASE WHEN done_at IS NOT NULL THEN 'done'
		WHEN attempts > 0 THEN 'failing' ELSE 'pending' END AS state, COUNT(*) AS n`).
		Group("kind, state").Scan(&rows).Error
	out := make([]metrics.Count, len(rows))
	for i, r := range rows {
		out[i] = metrics.Count{Labels: []string{r.Kind, r.State}, N: float64(r.N)}
	}
	return out, translate(err)
}

// MailCounts counts kept e-mails by status.
func (s *Store) MailCounts(ctx context.Context) ([]metrics.Count, error) {
	var rows []struct {
		Status string
		N      int64
	}
	err := s.db.WithContext(ctx).Table("mail").Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error
	out := make([]metrics.Count, len(rows))
	for i, r := range rows {
		out[i] = metrics.Count{Labels: []string{r.Status}, N: float64(r.N)}
	}
	return out, translate(err)
}

// PromiseCounts counts the ledger's promises by kind and state: open
// (running or paused) and open_overdue (running past their due time) now,
// and kept and broken among those due in the 30 days before now.
func (s *Store) PromiseCounts(ctx context.Context, now time.Time) ([]metrics.Count, error) {
	now = now.UTC()
	all, err := s.PromiseTally(ctx, promise.Filter{From: time.Unix(0, 0).UTC(), To: now.AddDate(100, 0, 0)}, now)
	if err != nil {
		return nil, err
	}
	recent, err := s.PromiseTally(ctx, promise.Filter{From: now.AddDate(0, 0, -30), To: now}, now)
	if err != nil {
		return nil, err
	}
	var out []metrics.Count
	for i, t := range all {
		kind := string(t.Kind)
		out = append(out, metrics.Count{Labels: []string{kind, "open"}, N: float64(t.Open)},
			metrics.Count{Labels: []string{kind, "open_overdue"}, N: float64(t.OpenOverdue)},
			metrics.Count{Labels: []string{kind, "kept"}, N: float64(recent[i].Kept)},
			metrics.Count{Labels: []string{kind, "broken"}, N: float64(recent[i].Broken)})
	}
	return out, nil
}
