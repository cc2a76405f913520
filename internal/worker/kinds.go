package worker

import (
	"context"
	"fmt"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/promise"
	"rma/internal/slip"
)

// action is what a job kind does once its domain rule (claim.JobKind's
// StillDue) says it is still due. ev is the event a notification is about.
type action func(r *Runner, ctx context.Context, j claim.Job, v claim.View, ev *claim.Event) error

// actions is the worker's half of the job catalogue: one entry per
// claim.JobKind, whose schedule and due rule live in the claim package.
var actions = map[claim.JobKind]action{
	claim.JobNotify:         (*Runner).notifyBuyer,
	claim.JobReviewReminder: staffLetter("review_reminder", account.Rep),
	claim.JobReviewEscalate: breach(promise.Answer, staffLetter("review_escalate", account.Admin, account.Rep)),
	claim.JobShipByReminder: func(r *Runner, ctx context.Context, j claim.Job, v claim.View, _ *claim.Event) error {
		return r.mailBuyer(ctx, j, v, "ship_by_reminder", v.Claim.Status, nil)
	},
	claim.JobShipByExpire: func(r *Runner, ctx context.Context, _ claim.Job, v claim.View, _ *claim.Event) error {
		return ignoreMovedOn(r.claims.Expire(ctx, v.Claim.RMANumber))
	},
	claim.JobTurnaroundWarn:     centerLetter("turnaround_warn", false),
	claim.JobTurnaroundEscalate: breach(promise.Return, centerLetter("turnaround_escalate", true)),
	claim.JobAutoDeliver: func(r *Runner, ctx context.Context, _ claim.Job, v claim.View, _ *claim.Event) error {
		return ignoreMovedOn(r.claims.DeliverBySystem(ctx, v.Claim.RMANumber))
	},
	claim.JobClose: func(r *Runner, ctx context.Context, _ claim.Job, v claim.View, _ *claim.Event) error {
		return ignoreMovedOn(r.claims.Close(ctx, v.Claim.RMANumber))
	},
	claim.JobInfoReminder: func(r *Runner, ctx context.Context, j claim.Job, v claim.View, _ *claim.Event) error {
		return r.mailBuyer(ctx, j, v, "info_reminder", v.Claim.Status, nil)
	},
	claim.JobAbandon: func(r *Runner, ctx context.Context, _ claim.Job, v claim.View, _ *claim.Event) error {
		return ignoreMovedOn(r.claims.Abandon(ctx, v.Claim.RMANumber))
	},
	claim.JobApologyAnswer: apology(promise.Answer),
	claim.JobApologyReturn: apology(promise.Return),
	claim.JobLockNotice: func(r *Runner, ctx context.Context, j claim.Job, v claim.View, _ *claim.Event) error {
		return r.mailBuyer(ctx, j, v, "activation_lock", v.Claim.Status, nil, r.lockArgs(v)...)
	},
	claim.JobLockCap: (*Runner).escalateLock,
}

// lockArgs are the activation lock letters' values: when the claim is
// escalated if the lock is still on.
func (r *Runner) lockArgs(v claim.View) [][2]string {
	h, ok := r.claims.Hold(v.Claim)
	if !ok || h.EscalatesAt == nil {
		return nil
	}
	return [][2]string{{"Cap", r.composer.Until(v.Claim.Language, h.EscalatesAt, v.Center.Location())}}
}

// escalateLock breaks the return promise of a device whose activation lock
// outlasted its cap (once, whoever runs it) and tells the reps; a run
// again after a failure tells them again only through the same letters,
// which the mail's dedupe key sends once.
func (r *Runner) escalateLock(ctx context.Context, j claim.Job, v claim.View, _ *claim.Event) error {
	if _, err := r.claims.EscalateLock(ctx, v.Claim.RMANumber); err != nil {
		return err
	}
	v, err := r.store.ClaimViewByID(ctx, v.Claim.ID)
	if err != nil {
		return fmt.Errorf("load claim: %w", err)
	}
	if !v.Claim.LockEscalated() {
		return nil
	}
	return r.notifyStaff(ctx, j, v, "activation_lock_cap", []account.Role{account.Rep}, "")
}

// breach marks the promise of kind broken (once: it schedules the buyer's
// apology) before escalating to staff with then, once per promise.
func breach(kind promise.Kind, then action) action {
	return func(r *Runner, ctx context.Context, j claim.Job, v claim.View, ev *claim.Event) error {
		if _, err := r.claims.NoticeBreach(ctx, v.Claim.RMANumber, kind); err != nil {
			return err
		}
		// The letters are keyed by the promise, not by the job: a question
		// answered the same day leaves the deadline where it was, with two
		// escalation jobs for it, and one breach is told once.
		if p, ok := v.Claim.Promise(kind); ok {
			j.ID = "breach:" + p.ID
		}
		return then(r, ctx, j, v, ev)
	}
}

// apology tells the buyer the promise of kind was broken.
func apology(kind promise.Kind) action {
	return func(r *Runner, ctx context.Context, j claim.Job, v claim.View, _ *claim.Event) error {
		return r.apologize(ctx, j, v, kind)
	}
}

// staffLetter sends the letter key to every active user of the roles.
func staffLetter(key string, roles ...account.Role) action {
	return func(r *Runner, ctx context.Context, j claim.Job, v claim.View, _ *claim.Event) error {
		return r.notifyStaff(ctx, j, v, key, roles, "")
	}
}

// centerLetter sends the letter key to the technicians of the claim's
// center and, when alsoAdmins, to the admins.
func centerLetter(key string, alsoAdmins bool) action {
	return func(r *Runner, ctx context.Context, j claim.Job, v claim.View, _ *claim.Event) error {
		if err := r.notifyStaff(ctx, j, v, key, []account.Role{account.Technician}, v.Claim.CenterCode); err != nil {
			return err
		}
		if alsoAdmins {
			return r.notifyStaff(ctx, j, v, key, []account.Role{account.Admin}, "")
		}
		return nil
	}
}

// notifyBuyer e-mails the buyer about the event the job names; approval
// carries the A4 slip.
func (r *Runner) notifyBuyer(ctx context.Context, j claim.Job, v claim.View, ev *claim.Event) error {
	var attach *attachment
	if ev.Action == claim.Approve {
		pdf, name, err := r.shipping.Slip(ctx, account.Actor{Role: claim.System}, v.Claim.RMANumber, slip.A4, "")
		if err != nil {
			return fmt.Errorf("slip for mail: %w", err)
		}
		attach = &attachment{name: name, data: pdf}
	}
	// The letter is the job's one effect: kept held, it finishes the job in
	// the same write.
	return r.mailBuyer(lastLetter(ctx), j, v, string(ev.Action), ev.To, attach)
}

type attachment struct {
	name string
	data []byte
}
