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
	"rma/internal/promise"
	"rma/internal/shipping"
	"rma/internal/slip"
)

// Store is what the jobs read.
type Store interface {
	JobState(ctx context.Context, id string) (claim.Job, bool, error)
	StartJob(ctx context.Context, id string) error
	FinishJob(ctx context.Context, id string, now time.Time) error
	OverdueJobs(ctx context.Context, before time.Time, limit int) ([]claim.Job, error)
	ClaimViewByID(ctx context.Context, id string) (claim.View, error)
	Order(ctx context.Context, number string) (order.Order, error)
	Staff(ctx context.Context, role account.Role, centerCode string) ([]account.User, error)
}

// ErrUnknownJob: a task names a job that does not exist; it cannot succeed.
var ErrUnknownJob = errors.New("unknown job")

// Runner executes jobs.
type Runner struct {
	store    Store
	claims   *claim.Service
	shipping *shipping.Service
	mailer   *mail.Mailer
	composer *notify.Composer
	log      *slog.Logger
	// Grace is how late a job must be before the sweep runs it itself
	// instead of waiting for the queue.
	Grace time.Duration
	// disputes escalates unanswered disputes on each sweep (see disputes.go).
	disputes DisputeSweeper
	late     LateSweeper
	webhooks WebhookSender
}

// NewRunner returns a job runner.
func NewRunner(store Store, claims *claim.Service, ship *shipping.Service, mailer *mail.Mailer,
	composer *notify.Composer, log *slog.Logger) *Runner {
	return &Runner{store: store, claims: claims, shipping: ship, mailer: mailer, composer: composer, log: log,
		Grace: 2 * time.Minute}
}

// Run executes one job unless it is done already.
func (r *Runner) Run(ctx context.Context, id string) error {
	job, done, err := r.store.JobState(ctx, id)
	if errors.Is(err, fault.ErrNoRecord) {
		return fmt.Errorf("%w %s", ErrUnknownJob, id)
	}
	if err != nil || done {
		return err
	}
	if err := r.store.StartJob(ctx, id); err != nil {
		return err
	}
	start := time.Now()
	if err := r.execute(ctx, job); err != nil {
		r.log.Warn("job failed", "job", job.ID, "kind", job.Kind, "claim", job.ClaimID, "err", err)
		return err
	}
	if err := r.store.FinishJob(ctx, id, r.claims.Now()); err != nil {
		return err
	}
	r.log.Info("job done", "job", job.ID, "kind", job.Kind, "claim", job.ClaimID,
		"late", r.claims.Now().Sub(job.RunAt).Round(time.Millisecond), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// Sweep runs every unfinished job that is more than Grace late: the jobs
// whose delivery was lost with Redis or a crash. It returns how many ran.
func (r *Runner) Sweep(ctx context.Context) (int, error) {
	n := r.sweepDisputes(ctx)
	for {
		jobs, err := r.store.OverdueJobs(ctx, r.claims.Now().Add(-r.Grace), 100)
		if err != nil {
			return n, err
		}
		progress := false
		for _, j := range jobs {
			if err := r.Run(ctx, j.ID); err != nil {
				r.log.Warn("sweep: job failed", "job", j.ID, "kind", j.Kind, "err", err)
				continue
			}
			n++
			progress = true
		}
		// Jobs that ran may have caused new ones (an expiry's e-mail):
		// look again until a pass gets nothing done.
		if !progress {
			return n, nil
		}
	}
}

func (r *Runner) execute(ctx context.Context, j claim.Job) error {
	v, err := r.store.ClaimViewByID(ctx, j.ClaimID)
	if err != nil {
		return fmt.Errorf("load claim: %w", err)
	}
	c, now := v.Claim, r.claims.Now()
	switch j.Kind {
	case claim.JobNotify:
		return r.notifyBuyer(ctx, j, v)
	case claim.JobReviewReminder:
		if c.Status.AwaitingReview() {
			return r.notifyStaff(ctx, j, v, "review_reminder", []account.Role{account.Rep}, "")
		}
	case claim.JobReviewEscalate:
		if c.Status.AwaitingReview() && c.ReviewDueAt != nil && !now.Before(*c.ReviewDueAt) {
			if _, err := r.claims.NoticeBreach(ctx, c.RMANumber, promise.Answer); err != nil {
				return err
			}
			return r.notifyStaff(ctx, j, v, "review_escalate", []account.Role{account.Admin, account.Rep}, "")
		}
	case claim.JobShipByReminder:
		if c.Status == claim.Approved {
			return r.mailBuyer(ctx, j, v, "ship_by_reminder", c.Status, nil)
		}
	case claim.JobShipByExpire:
		if c.Status == claim.Approved && c.ShipBy != nil && !now.Before(*c.ShipBy) {
			return ignoreMovedOn(r.claims.Expire(ctx, c.RMANumber))
		}
	case claim.JobTurnaroundWarn:
		if c.Status.AtCenter() {
			return r.notifyStaff(ctx, j, v, "turnaround_warn", []account.Role{account.Technician}, c.CenterCode)
		}
	case claim.JobTurnaroundEscalate:
		if c.Status.AtCenter() && c.ReturnDueAt != nil && !now.Before(*c.ReturnDueAt) {
			if _, err := r.claims.NoticeBreach(ctx, c.RMANumber, promise.Return); err != nil {
				return err
			}
			if err := r.notifyStaff(ctx, j, v, "turnaround_escalate", []account.Role{account.Technician}, c.CenterCode); err != nil {
				return err
			}
			return r.notifyStaff(ctx, j, v, "turnaround_escalate", []account.Role{account.Admin}, "")
		}
	case claim.JobAutoDeliver:
		if c.Status == claim.Shipped {
			return ignoreMovedOn(r.claims.DeliverBySystem(ctx, c.RMANumber))
		}
	case claim.JobClose:
		if c.Status == claim.Delivered {
			return ignoreMovedOn(r.claims.Close(ctx, c.RMANumber))
		}
	case claim.JobInfoReminder:
		if v.WaitingOn(j.EventID) {
			return r.mailBuyer(ctx, j, v, "info_reminder", c.Status, nil)
		}
	case claim.JobAbandon:
		if v.WaitingOn(j.EventID) {
			return ignoreMovedOn(r.claims.Abandon(ctx, c.RMANumber))
		}
	case claim.JobApology:
		return r.apologize(ctx, j, v)
	default:
		return fmt.Errorf("%w kind %q", ErrUnknownJob, j.Kind)
	}
	return nil
}

// ignoreMovedOn drops the conflict of a transition the claim outgrew
// meanwhile.
func ignoreMovedOn(_ claim.View, err error) error {
	if fault.Is(err, fault.Conflict) {
		return nil
	}
	return err
}

// notifyBuyer e-mails the buyer about the event the job names; approval
// carries the A4 slip.
func (r *Runner) notifyBuyer(ctx context.Context, j claim.Job, v claim.View) error {
	var ev *claim.Event
	for i := range v.Events {
		if v.Events[i].ID == j.EventID {
			ev = &v.Events[i]
		}
	}
	if ev == nil {
		return fmt.Errorf("%w: event %s of job %s", ErrUnknownJob, j.EventID, j.ID)
	}
	var attach *attachment
	if ev.Action == claim.Approve {
		pdf, name, err := r.shipping.Slip(ctx, account.Actor{Role: claim.System}, v.Claim.RMANumber, slip.A4, "")
		if err != nil {
			return fmt.Errorf("slip for mail: %w", err)
		}
		attach = &attachment{name: name, data: pdf}
	}
	return r.mailBuyer(ctx, j, v, string(ev.Action), ev.To, attach)
}

type attachment struct {
	name string
	data []byte
}
