package worker

import (
	"context"
	"errors"
	"fmt"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/fault"
)

// ErrJobNotDead: the retried job does not exist or is not dead.
var ErrJobNotDead = fault.New(fault.NotFound, "job_not_found")

// DeadJobs lists the jobs given up, newest first, for admins.
func (r *Runner) DeadJobs(ctx context.Context, actor account.Actor, before string, limit int) ([]claim.JobRecord, error) {
	if actor.Role != account.Admin {
		return nil, fault.New(fault.Forbidden, "action_forbidden")
	}
	return r.store.DeadJobs(ctx, before, max(1, min(limit, 200)))
}

// RetryJob gives a dead job a fresh start at an admin's request; the relay
// and the sweep run it again. The decision is logged with who took it.
func (r *Runner) RetryJob(ctx context.Context, actor account.Actor, id string) (claim.JobRecord, error) {
	if actor.Role != account.Admin {
		return claim.JobRecord{}, fault.New(fault.Forbidden, "action_forbidden")
	}
	if err := r.store.ReviveJob(ctx, id); errors.Is(err, fault.ErrNoRecord) {
		return claim.JobRecord{}, ErrJobNotDead
	} else if err != nil {
		return claim.JobRecord{}, fmt.Errorf("retry job: %w", err)
	}
	rec, err := r.store.JobRecord(ctx, id)
	if err != nil {
		return claim.JobRecord{}, fmt.Errorf("retry job: %w", err)
	}
	r.log.Info("audit: dead job retried", "job", id, "kind", rec.Kind, "rma", rec.RMANumber, "by", actor.UserID)
	return rec, nil
}
