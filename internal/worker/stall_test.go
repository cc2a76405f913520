package worker_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/claim"
	"rma/internal/worker"
)

// TestSweepCannotStall: 150 jobs that can never succeed and 150 whose
// recipient's server refuses them for now stand in front of 20 healthy
// notifications, and Redis is flushed. The sweep runs the 20 at its first
// pass; the 150 that cannot succeed end dead, the others rest and retry.
// (Before: the sweep read the 100 oldest unfinished jobs, none succeeded,
// and it stopped: 0 of 20 ran.)
func TestSweepCannotStall(t *testing.T) {
	eachRedis(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		srv := startSMTP(t)
		srv.refuse = map[string]bool{"busy@example.com": true}
		e.useSMTP(srv)
		e.clock.Set(time.Now()) // asynq schedules by real time
		for range 150 {
			e.fileAs("busy@example.com")
		}
		broken := e.fileAs("broken@example.com")
		var claimID string
		if err := e.st.DB().Raw("SELECT id FROM claims WHERE rma_number = ?", broken).Scan(&claimID).Error; err != nil {
			t.Fatal(err)
		}
		early := e.clock.Now().Add(-time.Hour).UTC()
		for range 150 { // notifications about an event that does not exist
			if err := e.st.DB().Exec(`INSERT INTO jobs (id, kind, claim_id, event_id, run_at, created_at, attempts)
				VALUES (?, 'notify', ?, ?, ?, ?, 0)`, ulid.Make().String(), claimID, ulid.Make().String(), early, early).Error; err != nil {
				t.Fatal(err)
			}
		}
		healthy := make([]string, 20)
		for i := range healthy {
			healthy[i] = e.file()
		}
		if _, err := e.app.Relay.Once(ctx); err != nil {
			t.Fatal(err)
		}
		if e.mini != nil {
			e.mini.FlushAll()
		} else if err := e.rdb.FlushDB(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		w := worker.New(e.rdb, e.app.Runner, e.app.Relay, slog.New(slog.NewTextHandler(io.Discard, nil)),
			worker.Options{SweepEvery: time.Second})
		if err := w.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer w.Shutdown()
		took := waitFor(t, 60*time.Second, "the 20 healthy notifications", func() bool {
			for _, rma := range healthy {
				if !contains(e.mails(rma), "submit buyer@example.com") {
					return false
				}
			}
			return true
		})
		t.Logf("20 healthy notifications behind 300 failing jobs sent after %s", took)
		var dead []claim.JobRecord
		waitFor(t, 30*time.Second, "150 dead jobs", func() bool {
			var err error
			dead, err = e.app.Runner.DeadJobs(ctx, e.actor("admin@example.com"), "", 200)
			return err == nil && len(dead) == 150
		})
		for _, d := range dead {
			if d.RMANumber != broken || d.LastError == "" || d.DeadAt == nil {
				t.Fatalf("dead job %+v", d)
			}
		}
		var resting int64
		e.st.DB().Raw(`SELECT COUNT(*) FROM jobs WHERE kind = 'notify' AND done_at IS NULL AND dead_at IS NULL
			AND next_attempt_at IS NOT NULL AND attempts >= 1`).Scan(&resting)
		if resting != 150 {
			t.Errorf("%d refused notifications resting for a retry, want 150", resting)
		}
	})
}

// TestApprovalOfCancelledClaimIsNotSent: the buyer cancels before the
// approval e-mail went out; it is not sent (there is no slip to attach)
// and the job is finished, not failed. (Before: slip_not_available, retried
// forever.)
func TestApprovalOfCancelledClaimIsNotSent(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		rma := e.file()
		e.approve(rma)
		if _, err := e.app.Claims.Cancel(context.Background(), e.actor("buyer@example.com"), rma, "changed my mind"); err != nil {
			t.Fatal(err)
		}
		e.sweep()
		expect(t, e, rma, "submit buyer@example.com", "cancel buyer@example.com")
		rec, err := e.st.JobRecord(context.Background(), e.jobOf(rma, claim.JobNotify))
		if err != nil || rec.DoneAt == nil {
			t.Fatalf("%+v %v", rec, err)
		}
		if dead, _ := e.st.DeadJobs(context.Background(), "", 10); len(dead) != 0 {
			t.Errorf("%d jobs dead", len(dead))
		}
	})
}

// TestFailingJobDiesAfterItsAttempts: a job that keeps failing is dead
// after worker.MaxAttempts, an admin's retry revives it, and it then runs.
func TestFailingJobDiesAfterItsAttempts(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		srv := startSMTP(t)
		srv.refuse = map[string]bool{"busy@example.com": true}
		e.useSMTP(srv)
		rma := e.fileAs("busy@example.com")
		id := e.jobOf(rma, claim.JobNotify)
		for i := 1; i <= worker.MaxAttempts; i++ {
			if err := e.app.Runner.Run(ctx, id); err == nil {
				t.Fatalf("attempt %d succeeded", i)
			}
		}
		rec, _ := e.st.JobRecord(ctx, id)
		if rec.DeadAt == nil || rec.Attempts != worker.MaxAttempts {
			t.Fatalf("after %d attempts: %+v", worker.MaxAttempts, rec)
		}
		if _, err := e.app.Runner.RetryJob(ctx, e.actor("rep@example.com"), id); err == nil {
			t.Fatal("a rep retried a job")
		}
		srv.mu.Lock()
		srv.refuse = nil
		srv.mu.Unlock()
		if _, err := e.app.Runner.RetryJob(ctx, e.actor("admin@example.com"), id); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Runner.RetryJob(ctx, e.actor("admin@example.com"), id); err == nil {
			t.Fatal("a live job was retried")
		}
		e.sweep()
		if rec, _ := e.st.JobRecord(ctx, id); rec.DoneAt == nil {
			t.Fatalf("retried job not done: %+v", rec)
		}
		if n := len(srv.messages()); n != 1 {
			t.Errorf("%d e-mails", n)
		}
	})
}

// TestOneSweepAtATime: while another worker's sweep holds the lock, a
// sweep finds nothing to do; once it is released the sweep runs the jobs.
func TestOneSweepAtATime(t *testing.T) {
	eachRedis(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		rma := e.file()
		w := worker.New(e.rdb, e.app.Runner, e.app.Relay, slog.New(slog.NewTextHandler(io.Discard, nil)), worker.Options{})
		if err := e.rdb.Set(ctx, "rma:sweep:lock", "another worker", time.Minute).Err(); err != nil {
			t.Fatal(err)
		}
		if n, err := w.Sweep(ctx); n != 0 || err != nil {
			t.Fatalf("swept %d beside another sweep: %v", n, err)
		}
		expect(t, e, rma)
		if err := e.rdb.Del(ctx, "rma:sweep:lock").Err(); err != nil {
			t.Fatal(err)
		}
		if n, err := w.Sweep(ctx); n == 0 || err != nil {
			t.Fatalf("swept %d alone: %v", n, err)
		}
		expect(t, e, rma, "submit buyer@example.com")
		if n, _ := e.rdb.Exists(ctx, "rma:sweep:lock").Result(); n != 0 {
			t.Error("the lock outlived the sweep")
		}
	})
}
