// Package worker runs the background jobs: the buyer's e-mails, the
// reminders and escalations of the SLA clocks, ship-by expiry, and the
// periodic sweep that runs every job whose time passed without it having
// run. Handlers are idempotent: a job runs at least once, and a job that
// finds the world has moved on does nothing.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/fault"
	"rma/internal/mail"
	"rma/internal/notify"
	"rma/internal/order"
	"rma/internal/shipping"
)

// Store is what the jobs read and how they record their progress.
type Store interface {
	TakeJob(ctx context.Context, id string, now time.Time, lease time.Duration) (claim.JobRecord, bool, error)
	FinishJob(ctx context.Context, id string, now time.Time) error
	FailJob(ctx context.Context, id string, now time.Time, reason string, retryAt *time.Time) error
	DueJobs(ctx context.Context, before, now time.Time, after *claim.Job, limit int) ([]claim.Job, error)
	DeadJobs(ctx context.Context, before string, limit int) ([]claim.JobRecord, error)
	ReviveJob(ctx context.Context, id string) error
	JobRecord(ctx context.Context, id string) (claim.JobRecord, error)
	ClaimViewByID(ctx context.Context, id string) (claim.View, error)
	Order(ctx context.Context, number string) (order.Order, error)
	Staff(ctx context.Context, role account.Role, centerCode string) ([]account.User, error)
}

// ErrUnknownJob: a task names a job that does not exist; it cannot succeed.
var ErrUnknownJob = errors.New("unknown job")

// ErrPermanent marks a failure that no retry can mend (a job whose claim or
// event is gone, an address no server takes): the job is dead at once.
var ErrPermanent = errors.New("cannot succeed")

// ErrJobDead: the job was given up; only an admin's retry revives it.
var ErrJobDead = errors.New("job is dead")

// Attempt limits: a job that keeps failing rests longer after each attempt
// and is dead after MaxAttempts.
const (
	MaxAttempts = 12
	firstRest   = 30 * time.Second
	longestRest = 6 * time.Hour
	// lease is how long a runner holds a job: longer than the queue's task
	// timeout, so a job is never run by two runners at once unless the
	// first died.
	lease = 5 * time.Minute
)

// rest is how long a job waits after its n-th failed attempt.
func rest(n int) time.Duration {
	d := firstRest
	for i := 1; i < n && d < longestRest; i++ {
		d *= 2
	}
	return min(d, longestRest)
}

// Runner executes jobs.
type Runner struct {
	store    Store
	claims   *claim.Service
	shipping *shipping.Service
	mailer   *mail.Mailer
	composer *notify.Composer
	log      *slog.Logger
	// Grace is how late a job must be before the sweep runs it itself
	// instead of waiting for the queue. With the sweep's period (30 s by
	// default) it bounds how late a breach is noticed when the queue lost
	// its task: under a minute.
	Grace time.Duration
	// disputes escalates unanswered disputes on each sweep (see disputes.go).
	disputes DisputeSweeper
	late     LateSweeper
	webhooks WebhookSender
	tell     CompensationTeller
}

// DefaultGrace is the sweep's default patience with the queue.
const DefaultGrace = 20 * time.Second

// NewRunner returns a job runner whose sweep leaves the queue grace to run
// a job before running it itself (DefaultGrace; 0 runs every late job) and
// also sweeps what basic names.
func NewRunner(store Store, claims *claim.Service, ship *shipping.Service, mailer *mail.Mailer,
	composer *notify.Composer, log *slog.Logger, grace time.Duration, basic Basic) *Runner {
	return &Runner{store: store, claims: claims, shipping: ship, mailer: mailer, composer: composer, log: log,
		Grace: grace, disputes: basic.Disputes, late: basic.Late, webhooks: basic.Webhooks,
		tell: basic.Tell}
}

// Run executes one job unless it is done, dead or held by another runner.
func (r *Runner) Run(ctx context.Context, id string) error {
	_, err := r.run(ctx, id)
	return err
}

// run executes one job and reports whether this call finished it.
func (r *Runner) run(ctx context.Context, id string) (bool, error) {
	now := r.claims.Now()
	rec, taken, err := r.store.TakeJob(ctx, id, now, lease)
	if errors.Is(err, fault.ErrNoRecord) {
		return false, fmt.Errorf("%w %s: %w", ErrUnknownJob, id, ErrPermanent)
	}
	switch {
	case err != nil:
		return false, err
	case rec.DeadAt != nil:
		return false, fmt.Errorf("%w: %s", ErrJobDead, id)
	case !taken: // done, or another runner has it: its outcome stands
		return false, nil
	}
	job, start := rec.Job, time.Now()
	end := &mail.JobEnd{ID: id}
	if err := r.execute(context.WithValue(ctx, jobEndKey{}, end), job); err != nil {
		r.fail(ctx, rec, err)
		return false, err
	}
	if !end.Done { // else the job's last letter finished it
		if err := r.store.FinishJob(ctx, id, r.claims.Now()); err != nil {
			return false, err
		}
	}
	r.log.Info("job done", "job", job.ID, "kind", job.Kind, "claim", job.ClaimID,
		"late", r.claims.Now().Sub(job.RunAt).Round(time.Millisecond), "took", time.Since(start).Round(time.Millisecond))
	return true, nil
}

// jobEndKey carries the running job's mail.JobEnd to the action that may
// make its last effect a letter (lastLetter).
type jobEndKey struct{}

// lastLetter returns ctx for delivering the running job's last effect, a
// single letter: a store that keeps it held finishes the job in the same
// transaction.
func lastLetter(ctx context.Context) context.Context {
	if end, ok := ctx.Value(jobEndKey{}).(*mail.JobEnd); ok {
		return mail.EndingJob(ctx, end)
	}
	return ctx
}

// fail records a failed attempt: the job rests before its next attempt, or
// is dead when it cannot succeed or has had every attempt.
func (r *Runner) fail(ctx context.Context, rec claim.JobRecord, cause error) {
	now := r.claims.Now()
	var retryAt *time.Time
	permanent := errors.Is(cause, ErrPermanent) || errors.Is(cause, mail.ErrRejected)
	if !permanent && rec.Attempts < MaxAttempts {
		at := now.Add(rest(rec.Attempts))
		retryAt = &at
	}
	if err := r.store.FailJob(context.WithoutCancel(ctx), rec.ID, now, cause.Error(), retryAt); err != nil {
		r.log.Error("record job failure", "job", rec.ID, "err", err)
	}
	if retryAt == nil {
		r.log.Error("job dead", "job", rec.ID, "kind", rec.Kind, "claim", rec.ClaimID, "attempts", rec.Attempts, "err", cause)
		return
	}
	r.log.Warn("job failed", "job", rec.ID, "kind", rec.Kind, "claim", rec.ClaimID, "attempts", rec.Attempts,
		"retry_at", retryAt, "err", cause)
}

// Sweep runs every job that is more than Grace late and not resting after
// a failure: the jobs whose delivery was lost with Redis or a crash. It
// walks the due jobs in order with a cursor, so jobs that fail never stand
// in front of the others, and looks again while a pass got something done
// (a job may cause another that is due at once). It returns how many ran.
func (r *Runner) Sweep(ctx context.Context) (int, error) {
	n := r.sweepDisputes(ctx)
	for {
		ran, err := r.sweepPass(ctx)
		n += ran
		if err != nil || ran == 0 {
			return n, err
		}
	}
}

func (r *Runner) sweepPass(ctx context.Context) (int, error) {
	const page = 100
	now := r.claims.Now()
	ran := 0
	var after *claim.Job
	for {
		due, err := r.store.DueJobs(ctx, now.Add(-r.Grace), now, after, page)
		if err != nil {
			return ran, err
		}
		for i := range due {
			after = &due[i]
			did, err := r.run(ctx, due[i].ID)
			if ctx.Err() != nil {
				return ran, ctx.Err()
			}
			if err != nil {
				r.log.Warn("sweep: job failed", "job", due[i].ID, "kind", due[i].Kind, "err", err)
			}
			if did {
				ran++
			}
		}
		if len(due) < page {
			return ran, nil
		}
	}
}

// execute does the job's work when it is still due.
func (r *Runner) execute(ctx context.Context, j claim.Job) error {
	do, ok := actions[j.Kind]
	if !ok || !j.Kind.Known() {
		return fmt.Errorf("%w kind %q: %w", ErrUnknownJob, j.Kind, ErrPermanent)
	}
	v, err := r.store.ClaimViewByID(ctx, j.ClaimID)
	if errors.Is(err, fault.ErrNoRecord) {
		return fmt.Errorf("%w: claim %s: %w", ErrUnknownJob, j.ClaimID, ErrPermanent)
	}
	if err != nil {
		return fmt.Errorf("load claim: %w", err)
	}
	var ev *claim.Event
	if j.EventID != "" {
		for i := range v.Events {
			if v.Events[i].ID == j.EventID {
				ev = &v.Events[i]
			}
		}
		if ev == nil {
			return fmt.Errorf("%w: event %s of job %s: %w", ErrUnknownJob, j.EventID, j.ID, ErrPermanent)
		}
	}
	if !j.Kind.StillDue(v.Claim, ev, r.claims.Now()) {
		return nil
	}
	return do(r, ctx, j, v, ev)
}

// ignoreMovedOn drops the conflict of a transition the claim outgrew
// meanwhile.
func ignoreMovedOn(_ claim.View, err error) error {
	if fault.Is(err, fault.Conflict) {
		return nil
	}
	return err
}
