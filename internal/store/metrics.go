package store

import (
	"context"
	"time"

	"rma/internal/claim"
	"rma/internal/metrics"
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

// PromiseCounts counts the two promises to buyers, the answer (review
// deadline) and the return (turnaround), by state: open (running),
// open_overdue (running past its deadline: broken unless kept at once),
// and kept and broken over the 30 days before now.
func (s *Store) PromiseCounts(ctx context.Context, now time.Time) ([]metrics.Count, error) {
	now = now.UTC()
	var out []metrics.Count
	for _, p := range []struct {
		kind     string
		statuses []claim.Status
		due      string
	}{{"answer", claim.ReviewStatuses, "review_due_at"}, {"return", claim.AtCenterStatuses, "return_due_at"}} {
		var open, overdue int64
		db := s.db.WithContext(ctx).Model(&claimRow{})
		if err := db.Where("status IN ?", p.statuses).Count(&open).Error; err != nil {
			return nil, translate(err)
		}
		if err := s.db.WithContext(ctx).Model(&claimRow{}).Where("status IN ? AND "+p.due+" < ?", p.statuses, now).
			Count(&overdue).Error; err != nil {
			return nil, translate(err)
		}
		out = append(out, metrics.Count{Labels: []string{p.kind, "open"}, N: float64(open)},
			metrics.Count{Labels: []string{p.kind, "open_overdue"}, N: float64(overdue)})
	}
	since := now.AddDate(0, 0, -30)
	for kind, settled := range map[string]func(context.Context, time.Time) (int, int, error){
		"answer": s.ReviewCompliance, "return": s.TurnaroundCompliance} {
		kept, total, err := settled(ctx, since)
		if err != nil {
			return nil, err
		}
		out = append(out, metrics.Count{Labels: []string{kind, "kept"}, N: float64(kept)},
			metrics.Count{Labels: []string{kind, "broken"}, N: float64(total - kept)})
	}
	return out, nil
}
