package worker_test

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/oklog/ulid/v2"

	"rma/internal/store"
	"rma/internal/store/storetest"
)

// benchEnv is an env on SQLite and the Redis of RMA_TEST_REDIS_ADDR when
// set (else the in-process one), on real time.
func benchEnv(b *testing.B) *env {
	targets := redisTargets()
	target := targets[0]
	if os.Getenv(RedisEnv) != "" {
		target = targets[1]
	}
	rdb, m := target.open(b)
	e := newEnv(b, storetest.Open(b, store.SQLite), rdb, m)
	e.clock.Live()
	b.Logf("redis: %s", target.name)
	return e
}

// BenchmarkNoopHandler: tasks per second through asynq with a handler that
// does nothing (the queue's own ceiling here).
func BenchmarkNoopHandler(b *testing.B) {
	e := benchEnv(b)
	var done atomic.Int64
	srv := asynq.NewServerFromRedisClient(e.rdb, asynq.Config{Concurrency: 8, Logger: quiet{}})
	mux := asynq.NewServeMux()
	mux.HandleFunc("bench:noop", func(context.Context, *asynq.Task) error { done.Add(1); return nil })
	for i := 0; i < b.N; i++ {
		if _, err := e.app.Queue.Enqueue(asynq.NewTask("bench:noop", nil)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	start := time.Now()
	if err := srv.Start(mux); err != nil {
		b.Fatal(err)
	}
	for done.Load() < int64(b.N) {
		time.Sleep(2 * time.Millisecond)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tasks/s")
	b.StopTimer()
	srv.Shutdown()
}

// BenchmarkNotificationHandler: buyer e-mails per second through the outbox,
// the relay, asynq and the handler (render, keep; no SMTP).
func BenchmarkNotificationHandler(b *testing.B) {
	e := benchEnv(b)
	ctx := context.Background()
	copyJob := e.notifyCopier(b)
	// b.N copies of the claim's notification job, as if b.N events happened.
	now := time.Now().UTC()
	for i := 0; i < b.N; i++ {
		copyJob(now)
	}
	w := e.app.NewWorker()
	b.ResetTimer()
	start := time.Now()
	if err := w.Start(ctx); err != nil {
		b.Fatal(err)
	}
	for {
		n, _ := e.st.PendingCount(ctx)
		if n <= 2 { // the claim's own review jobs wait for their deadlines
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "emails/s")
	b.StopTimer()
	w.Shutdown()
}

// BenchmarkDeadlineLateness: jobs due 1 to 3 seconds ahead, one after the
// other (each iteration waits for its job: run it with -benchtime 20x);
// reports the worst delay between a job's time and its completion.
func BenchmarkDeadlineLateness(b *testing.B) {
	e := benchEnv(b)
	ctx := context.Background()
	copyJob := e.notifyCopier(b)
	w := e.app.NewWorker()
	if err := w.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer w.Shutdown()
	var worst time.Duration
	for i := 0; i < b.N; i++ {
		due := time.Now().Add(time.Duration(1000+i%2000) * time.Millisecond).UTC()
		jid := copyJob(due)
		for {
			var row struct{ DoneAt *time.Time }
			e.st.DB().Raw("SELECT done_at FROM jobs WHERE id = ?", jid).Scan(&row)
			if row.DoneAt != nil {
				worst = max(worst, row.DoneAt.Sub(due))
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	b.ReportMetric(float64(worst.Milliseconds()), "worst-late-ms")
}

// notifyCopier files a claim and returns a function that writes another
// copy of its notification job, due at a time, and returns the copy's id.
func (e *env) notifyCopier(b *testing.B) func(due time.Time) string {
	var job struct{ ClaimID, EventID string }
	e.st.DB().Raw(`SELECT j.claim_id, j.event_id FROM jobs j JOIN claims c ON c.id = j.claim_id
		WHERE c.rma_number = ? AND j.kind = 'notify' LIMIT 1`, e.file()).Scan(&job)
	if job.EventID == "" {
		b.Fatal("no notification job")
	}
	return func(due time.Time) string {
		id := ulid.Make().String()
		if err := e.st.DB().Exec(`INSERT INTO jobs (id, kind, claim_id, event_id, run_at, created_at, attempts)
			VALUES (?, 'notify', ?, ?, ?, ?, 0)`, id, job.ClaimID, job.EventID, due, time.Now().UTC()).Error; err != nil {
			b.Fatal(err)
		}
		return id
	}
}

type quiet struct{}

func (quiet) Debug(...any) {}
func (quiet) Info(...any)  {}
func (quiet) Warn(...any)  {}
func (quiet) Error(...any) {}
func (quiet) Fatal(...any) {}
