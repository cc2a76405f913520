package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rma/internal/claim"
)

// jobRow is the outbox: a job is born here in the transaction of the state
// change that causes it, handed to the queue by the relay (enqueued_at) and
// finished by its handler (done_at).
type jobRow struct {
	ID         string `gorm:"primaryKey"`
	Kind       string
	ClaimID    string
	EventID    *string
	RunAt      time.Time
	CreatedAt  time.Time
	EnqueuedAt *time.Time
	DoneAt     *time.Time
	Attempts   int
}

func (jobRow) TableName() string { return "jobs" }

func (r jobRow) job() claim.Job {
	return claim.Job{ID: r.ID, Kind: claim.JobKind(r.Kind), ClaimID: r.ClaimID, EventID: str(r.EventID), RunAt: r.RunAt}
}

func insertJobs(tx *gorm.DB, jobs []claim.Job, now time.Time) error {
	if len(jobs) == 0 {
		return nil
	}
	rows := make([]jobRow, len(jobs))
	for i, j := range jobs {
		rows[i] = jobRow{ID: j.ID, Kind: string(j.Kind), ClaimID: j.ClaimID, EventID: nullable(j.EventID),
			RunAt: j.RunAt.UTC(), CreatedAt: now.UTC()}
	}
	return tx.Create(&rows).Error
}

func jobs(rows []jobRow) []claim.Job {
	out := make([]claim.Job, len(rows))
	for i, r := range rows {
		out[i] = r.job()
	}
	return out
}

// Unqueued returns jobs the relay has not handed to the queue yet, oldest
// first.
func (s *Store) Unqueued(ctx context.Context, limit int) ([]claim.Job, error) {
	var rows []jobRow
	err := s.db.WithContext(ctx).Where("enqueued_at IS NULL").Order("id").Limit(limit).Find(&rows).Error
	return jobs(rows), translate(err)
}

// MarkEnqueued records that the queue has the jobs.
func (s *Store) MarkEnqueued(ctx context.Context, ids []string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return translate(s.db.WithContext(ctx).Model(&jobRow{}).Where("id IN ?", ids).Update("enqueued_at", now.UTC()).Error)
}

// Overdue returns unfinished jobs that should have run by before: the ones
// whose delivery was lost (a wiped Redis, a crash) or is late.
func (s *Store) OverdueJobs(ctx context.Context, before time.Time, limit int) ([]claim.Job, error) {
	var rows []jobRow
	err := s.db.WithContext(ctx).Where("done_at IS NULL AND run_at <= ?", before.UTC()).Order("run_at, id").
		Limit(limit).Find(&rows).Error
	return jobs(rows), translate(err)
}

// JobState returns a job and whether it is done.
func (s *Store) JobState(ctx context.Context, id string) (claim.Job, bool, error) {
	var r jobRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return claim.Job{}, false, translate(err)
	}
	return r.job(), r.DoneAt != nil, nil
}

// StartJob counts an attempt at a job.
func (s *Store) StartJob(ctx context.Context, id string) error {
	return translate(s.db.WithContext(ctx).Model(&jobRow{}).Where("id = ?", id).
		Update("attempts", gorm.Expr("attempts + 1")).Error)
}

// FinishJob marks a job done; finishing a finished job changes nothing.
func (s *Store) FinishJob(ctx context.Context, id string, now time.Time) error {
	return translate(s.db.WithContext(ctx).Model(&jobRow{}).Where("id = ? AND done_at IS NULL", id).
		Update("done_at", now.UTC()).Error)
}

// PendingCount counts unfinished jobs (for the operations summary).
func (s *Store) PendingCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&jobRow{}).Where("done_at IS NULL").Count(&n).Error
	return n, translate(err)
}
