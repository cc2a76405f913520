// Package tasks is the asynq catalogue: the task types, their payloads and
// constructors, and the relay that hands outbox jobs to the queue.
package tasks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"rma/internal/claim"
)

// Task types.
const (
	// TypeJob runs one outbox job; its payload names the job, whose row holds
	// everything else.
	TypeJob = "rma:job"
	// TypeSweep runs every job whose time passed without it having run.
	TypeSweep = "rma:sweep"
)

// Queue is the one queue the service uses.
const Queue = "default"

// JobPayload is the payload of TypeJob.
type JobPayload struct {
	JobID string `json:"job_id"`
}

// NewJobTask returns the task of an outbox job: its task ID is the job's
// id, so that enqueueing twice is refused by asynq instead of running twice.
func NewJobTask(j claim.Job) (*asynq.Task, []asynq.Option) {
	b, _ := json.Marshal(JobPayload{JobID: j.ID})
	return asynq.NewTask(TypeJob, b), []asynq.Option{asynq.TaskID(j.ID), asynq.ProcessAt(j.RunAt),
		asynq.MaxRetry(12), asynq.Timeout(2 * time.Minute), asynq.Queue(Queue)}
}

// ParseJob reads a TypeJob payload. A malformed one can never succeed, so
// the error wraps asynq.SkipRetry and the task is archived at once.
func ParseJob(t *asynq.Task) (string, error) {
	var p JobPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || len(p.JobID) != 26 {
		return "", fmt.Errorf("malformed %s payload %q: %w", t.Type(), truncate(t.Payload()), asynq.SkipRetry)
	}
	return p.JobID, nil
}

func truncate(b []byte) string {
	if len(b) > 100 {
		b = b[:100]
	}
	return string(b)
}

// Outbox is what the relay needs from storage.
type Outbox interface {
	Unqueued(ctx context.Context, limit int) ([]claim.Job, error)
	MarkEnqueued(ctx context.Context, ids []string, now time.Time) error
}

// Relay hands jobs written to the outbox to asynq. A crash between the
// enqueue and the mark leaves the row unmarked: the next pass enqueues it
// again and asynq refuses the duplicate task ID, so nothing runs twice.
type Relay struct {
	outbox Outbox
	client *asynq.Client
	log    *slog.Logger
	now    func() time.Time
}

// NewRelay returns a relay.
func NewRelay(outbox Outbox, client *asynq.Client, log *slog.Logger, now func() time.Time) *Relay {
	return &Relay{outbox: outbox, client: client, log: log, now: now}
}

// Once enqueues every job not handed over yet and returns how many.
func (r *Relay) Once(ctx context.Context) (int, error) {
	total := 0
	for {
		jobs, err := r.outbox.Unqueued(ctx, 200)
		if err != nil || len(jobs) == 0 {
			return total, err
		}
		ids := make([]string, 0, len(jobs))
		for _, j := range jobs {
			if err := Enqueue(ctx, r.client, j); err != nil {
				if len(ids) > 0 {
					_ = r.outbox.MarkEnqueued(ctx, ids, r.now())
				}
				return total + len(ids), err
			}
			ids = append(ids, j.ID)
		}
		if err := r.outbox.MarkEnqueued(ctx, ids, r.now()); err != nil {
			return total, err
		}
		total += len(ids)
	}
}

// Run relays every interval until ctx ends.
func (r *Relay) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := r.Once(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("relay jobs", "err", err)
		} else if n > 0 {
			r.log.Debug("jobs relayed", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Enqueue puts one job on the queue; a job already there is no error.
func Enqueue(ctx context.Context, c *asynq.Client, j claim.Job) error {
	task, opts := NewJobTask(j)
	_, err := c.EnqueueContext(ctx, task, opts...)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueue job %s: %w", j.ID, err)
	}
	return nil
}
