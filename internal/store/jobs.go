package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rma/internal/claim"
	"rma/internal/fault"
)

// jobRow is the outbox: a job is born here in the transaction of the state
// change that causes it, handed to the queue by the relay (enqueued_at),
// taken by one runner at a time (lease_until), finished by its handler
// (done_at), or given up (dead_at, with last_error). A failed job steps
// aside until next_attempt_at so that the sweep reaches the jobs behind it.
type jobRow struct {
	ID            string `gorm:"primaryKey"`
	Kind          string
	ClaimID       string
	EventID       *string
	RunAt         time.Time
	CreatedAt     time.Time
	EnqueuedAt    *time.Time
	DoneAt        *time.Time
	Attempts      int
	NextAttemptAt *time.Time
	LeaseUntil    *time.Time
	DeadAt        *time.Time
	LastError     *string
}

func (jobRow) TableName() string { return "jobs" }

func (r jobRow) job() claim.Job {
	return claim.Job{ID: r.ID, Kind: claim.JobKind(r.Kind), ClaimID: r.ClaimID, EventID: str(r.EventID), RunAt: r.RunAt}
}

func (r jobRow) record() claim.JobRecord {
	return claim.JobRecord{Job: r.job(), Attempts: r.Attempts, LastError: str(r.LastError),
		NextAttemptAt: r.NextAttemptAt, DeadAt: r.DeadAt, DoneAt: r.DoneAt}
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
// first. (Finished and dead ones too: every row leaves this list once, so
// the relay's query stays on its index; their tasks find nothing to do.)
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

// DueJobs returns unfinished live jobs that should have run by before, are
// not held by a runner and are not resting after a failure at now, in
// (run_at, id) order after the cursor (nil: from the start).
func (s *Store) DueJobs(ctx context.Context, before, now time.Time, after *claim.Job, limit int) ([]claim.Job, error) {
	q := s.db.WithContext(ctx).Where("done_at IS NULL AND dead_at IS NULL AND run_at <= ?", before.UTC()).
		Where("next_attempt_at IS NULL OR next_attempt_at <= ?", now.UTC()).
		Where("lease_until IS NULL OR lease_until <= ?", now.UTC())
	if after != nil {
		q = q.Where("run_at > ? OR (run_at = ? AND id > ?)", after.RunAt.UTC(), after.RunAt.UTC(), after.ID)
	}
	var rows []jobRow
	err := q.Order("run_at, id").Limit(limit).Find(&rows).Error
	return jobs(rows), translate(err)
}

// TakeJob leases an unfinished live job to the caller until now+lease and
// counts an attempt. It returns the job as it stands and whether the caller
// took it: a job that is done, dead or held by another runner is not taken.
// fault.ErrNoRecord when there is no such job.
func (s *Store) TakeJob(ctx context.Context, id string, now time.Time, lease time.Duration) (claim.JobRecord, bool, error) {
	db := s.db.WithContext(ctx)
	res := db.Model(&jobRow{}).
		Where("id = ? AND done_at IS NULL AND dead_at IS NULL AND (lease_until IS NULL OR lease_until <= ?)", id, now.UTC()).
		Updates(map[string]any{"attempts": gorm.Expr("attempts + 1"), "lease_until": now.Add(lease).UTC()})
	if res.Error != nil {
		return claim.JobRecord{}, false, translate(res.Error)
	}
	var r jobRow
	if err := db.Where("id = ?", id).Take(&r).Error; err != nil {
		return claim.JobRecord{}, false, translate(err)
	}
	return r.record(), res.RowsAffected == 1, nil
}

// FinishJob marks a job done and lets go of its lease; finishing a finished
// job changes nothing.
func (s *Store) FinishJob(ctx context.Context, id string, now time.Time) error {
	return translate(s.db.WithContext(ctx).Model(&jobRow{}).Where("id = ? AND done_at IS NULL", id).
		Updates(map[string]any{"done_at": now.UTC(), "lease_until": nil}).Error)
}

// FailJob records a failed attempt and lets go of the lease: the job rests
// until retryAt, or is dead when retryAt is nil.
func (s *Store) FailJob(ctx context.Context, id string, now time.Time, reason string, retryAt *time.Time) error {
	set := map[string]any{"lease_until": nil, "last_error": truncate(reason, 500), "next_attempt_at": utc(retryAt)}
	if retryAt == nil {
		set["dead_at"] = now.UTC()
	}
	return translate(s.db.WithContext(ctx).Model(&jobRow{}).Where("id = ? AND done_at IS NULL", id).Updates(set).Error)
}

// DeadJobs returns the jobs given up, newest first, after the cursor (the
// id of the last job of the previous page), with their claim's RMA number.
func (s *Store) DeadJobs(ctx context.Context, before string, limit int) ([]claim.JobRecord, error) {
	q := s.db.WithContext(ctx).Where("dead_at IS NOT NULL")
	if before != "" {
		q = q.Where("id < ?", before)
	}
	var rows []jobRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	return s.withRMA(ctx, rows)
}

func (s *Store) withRMA(ctx context.Context, rows []jobRow) ([]claim.JobRecord, error) {
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.ClaimID)
	}
	var pairs []struct{ ID, RMANumber string }
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Table("claims").Select("id, rma_number").Where("id IN ?", ids).
			Scan(&pairs).Error; err != nil {
			return nil, translate(err)
		}
	}
	rma := map[string]string{}
	for _, p := range pairs {
		rma[p.ID] = p.RMANumber
	}
	out := make([]claim.JobRecord, len(rows))
	for i, r := range rows {
		out[i] = r.record()
		out[i].RMANumber = rma[r.ClaimID]
	}
	return out, nil
}

// ReviveJob gives a dead job a fresh start: the relay hands it to the queue
// again and the sweep runs it if the queue does not. fault.ErrNoRecord when
// no dead job has the id.
func (s *Store) ReviveJob(ctx context.Context, id string) error {
	res := s.db.WithContext(ctx).Model(&jobRow{}).Where("id = ? AND dead_at IS NOT NULL AND done_at IS NULL", id).
		Updates(map[string]any{"dead_at": nil, "attempts": 0, "next_attempt_at": nil, "lease_until": nil,
			"enqueued_at": nil})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return fault.ErrNoRecord
	}
	return nil
}

// JobRecord returns one job with its progress.
func (s *Store) JobRecord(ctx context.Context, id string) (claim.JobRecord, error) {
	var r jobRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return claim.JobRecord{}, translate(err)
	}
	recs, err := s.withRMA(ctx, []jobRow{r})
	if err != nil {
		return claim.JobRecord{}, err
	}
	return recs[0], nil
}

// JobState returns a job and whether it is done.
func (s *Store) JobState(ctx context.Context, id string) (claim.Job, bool, error) {
	var r jobRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return claim.Job{}, false, translate(err)
	}
	return r.job(), r.DoneAt != nil, nil
}

// PendingCount counts unfinished live jobs (for the operations summary).
func (s *Store) PendingCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&jobRow{}).Where("done_at IS NULL AND dead_at IS NULL").Count(&n).Error
	return n, translate(err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
