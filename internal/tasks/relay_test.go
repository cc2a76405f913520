package tasks_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/oklog/ulid/v2"
	"github.com/redis/go-redis/v9"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/order"
	"rma/internal/store"
	"rma/internal/store/storetest"
	"rma/internal/tasks"
	"rma/internal/testenv"
)

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

var quiet = slog.New(slog.DiscardHandler)

// queue is an asynq client and inspector on one Redis.
type queue struct {
	rdb       redis.UniversalClient
	client    *asynq.Client
	inspector *asynq.Inspector
	mini      *miniredis.Miniredis // nil on a real Redis
}

// eachRedis runs fn on the in-process Redis and on the real one of
// RMA_TEST_REDIS_ADDR (skipped, saying why, without it).
func eachRedis(t *testing.T, fn func(t *testing.T, q queue)) {
	t.Run("miniredis", func(t *testing.T) {
		m := miniredis.RunT(t)
		fn(t, newQueue(t, redis.NewClient(&redis.Options{Addr: m.Addr()}), m))
	})
	t.Run("redis", func(t *testing.T) {
		addr := testenv.Env(t, "RMA_TEST_REDIS_ADDR", "Redis server")
		rdb := redis.NewClient(&redis.Options{Addr: addr, DB: 9})
		if err := rdb.FlushDB(context.Background()).Err(); err != nil {
			t.Fatalf("redis at %s: %v", addr, err)
		}
		fn(t, newQueue(t, rdb, nil))
	})
}

func newQueue(t *testing.T, rdb redis.UniversalClient, m *miniredis.Miniredis) queue {
	q := queue{rdb: rdb, client: asynq.NewClientFromRedisClient(rdb), inspector: asynq.NewInspectorFromRedisClient(rdb), mini: m}
	t.Cleanup(func() { _ = rdb.Close() })
	return q
}

// outboxWith writes a claim whose transition scheduled n jobs, due a day
// from now, and returns their ids.
func outboxWith(t *testing.T, st *store.Store, n int) []string {
	t.Helper()
	ctx := context.Background()
	if _, err := st.PutCenter(ctx, center.Center{Code: "BER", Name: "Berlin", Country: "DE", TimeZone: "Europe/Berlin",
		Address: []string{"a"}, Serves: []string{"DE"}}, now); err != nil {
		t.Fatal(err)
	}
	u := account.User{ID: ulid.Make().String(), Email: "b@example.com", Name: "B", PasswordHash: "x", Role: account.Buyer,
		Language: "en", Status: account.Active, CreatedAt: now}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutOrder(ctx, order.Order{Number: "O1", BuyerEmail: u.Email, BuyerName: "B", ShippingAddress: []string{"a"},
		CompletedAt: &now, Country: "DE", ProductName: "P", Category: "phone", Coverages: []coverage.Kind{coverage.ExtendedWarranty}}, now); err != nil {
		t.Fatal(err)
	}
	due := now.AddDate(0, 0, 7)
	c := claim.Claim{ID: ulid.Make().String(), RMANumber: claim.NewRMANumber(), Status: claim.Submitted,
		Coverage: coverage.ExtendedWarranty, OrderNumber: "O1", BuyerID: u.ID, BuyerEmail: u.Email, Language: "en",
		IMEI: "490154203237518", Description: "d", CenterCode: "BER", CreatedAt: now, UpdatedAt: now, ReviewDueAt: &due, Version: 1}
	jobs := make([]claim.Job, n)
	ids := make([]string, n)
	for i := range jobs {
		jobs[i] = claim.Job{ID: ulid.Make().String(), Kind: claim.JobReviewReminder, ClaimID: c.ID, RunAt: now.AddDate(0, 0, 1)}
		ids[i] = jobs[i].ID
	}
	if err := st.CreateClaim(ctx, c, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: "submit",
		To: claim.Submitted, ActorID: u.ID, ActorRole: account.Buyer}, jobs); err != nil {
		t.Fatal(err)
	}
	return ids
}

// queued returns the ids of the tasks waiting in the queue.
func queued(t *testing.T, q queue) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for page := 1; ; page++ {
		tis, err := q.inspector.ListScheduledTasks(tasks.Queue, asynq.Page(page), asynq.PageSize(100))
		if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			t.Fatal(err)
		}
		for _, ti := range tis {
			if ti.Type != tasks.TypeJob {
				t.Errorf("task of type %s", ti.Type)
			}
			id, err := tasks.ParseJob(asynq.NewTask(ti.Type, ti.Payload))
			if err != nil || id != ti.ID {
				t.Errorf("task %s carries job %q (%v)", ti.ID, id, err)
			}
			out[ti.ID] = true
		}
		if len(tis) < 100 {
			return out
		}
	}
}

func unqueued(t *testing.T, st *store.Store) int {
	t.Helper()
	jobs, err := st.Unqueued(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(jobs)
}

// TestRelayHandsEveryJobOverOnce: more jobs than one batch all reach the
// queue under their own ids and are marked; a second pass has nothing to do.
func TestRelayHandsEveryJobOverOnce(t *testing.T) {
	eachRedis(t, func(t *testing.T, q queue) {
		st := storetest.Open(t, store.SQLite)
		ids := outboxWith(t, st, 450)
		relay := tasks.NewRelay(st, q.client, quiet, func() time.Time { return now })
		n, err := relay.Once(context.Background())
		if err != nil || n != len(ids) {
			t.Fatalf("relayed %d of %d: %v", n, len(ids), err)
		}
		got := queued(t, q)
		for _, id := range ids {
			if !got[id] {
				t.Fatalf("job %s is not in the queue", id)
			}
		}
		if len(got) != len(ids) || unqueued(t, st) != 0 {
			t.Errorf("%d tasks for %d jobs; %d unmarked", len(got), len(ids), unqueued(t, st))
		}
		if n, err := relay.Once(context.Background()); n != 0 || err != nil {
			t.Errorf("second pass relayed %d: %v", n, err)
		}
	})
}

// TestRelayAfterACrashBeforeTheMarkEnqueuesNothingTwice: jobs enqueued but
// not marked (the relay died in between) go again; asynq refuses the
// duplicate task ids, so the queue holds each job once.
func TestRelayAfterACrashBeforeTheMarkEnqueuesNothingTwice(t *testing.T) {
	eachRedis(t, func(t *testing.T, q queue) {
		st := storetest.Open(t, store.SQLite)
		ids := outboxWith(t, st, 30)
		relay := tasks.NewRelay(st, q.client, quiet, func() time.Time { return now })
		if _, err := relay.Once(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := st.DB().Exec("UPDATE jobs SET enqueued_at = NULL").Error; err != nil {
			t.Fatal(err)
		}
		n, err := relay.Once(context.Background())
		if err != nil || n != len(ids) {
			t.Fatalf("second pass: %d, %v", n, err)
		}
		if got := queued(t, q); len(got) != len(ids) || unqueued(t, st) != 0 {
			t.Errorf("%d tasks for %d jobs; %d unmarked", len(got), len(ids), unqueued(t, st))
		}
	})
}

// TestRelayWithoutRedisMarksNothing: when the queue is unreachable the
// relay says so and leaves every job for the next pass.
func TestRelayWithoutRedisMarksNothing(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ids := outboxWith(t, st, 5)
	m := miniredis.RunT(t)
	q := newQueue(t, redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1}), m)
	m.Close()
	relay := tasks.NewRelay(st, q.client, quiet, func() time.Time { return now })
	if n, err := relay.Once(context.Background()); err == nil || n != 0 {
		t.Fatalf("relay with Redis down: %d, %v", n, err)
	}
	if got := unqueued(t, st); got != len(ids) {
		t.Errorf("%d of %d jobs left for the next pass", got, len(ids))
	}
}

// marking forwards to the store and tells when a batch was marked.
type marking struct {
	*store.Store
	marked chan int
}

func (m marking) MarkEnqueued(ctx context.Context, ids []string, now time.Time) error {
	err := m.Store.MarkEnqueued(ctx, ids, now)
	m.marked <- len(ids)
	return err
}

// TestRelayRunRelaysAtOnceAndStopsWithItsContext.
func TestRelayRunRelaysAtOnceAndStopsWithItsContext(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ids := outboxWith(t, st, 3)
	m := miniredis.RunT(t)
	q := newQueue(t, redis.NewClient(&redis.Options{Addr: m.Addr()}), m)
	out := marking{Store: st, marked: make(chan int, 10)}
	relay := tasks.NewRelay(out, q.client, quiet, func() time.Time { return now })
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { relay.Run(ctx, time.Hour); close(stopped) }()
	if n := <-out.marked; n != len(ids) {
		t.Errorf("first pass marked %d of %d", n, len(ids))
	}
	cancel()
	<-stopped
	if got := queued(t, q); len(got) != len(ids) {
		t.Errorf("%d tasks for %d jobs", len(got), len(ids))
	}
}

func TestParseJobArchivesMalformedPayloads(t *testing.T) {
	id := ulid.Make().String()
	task, opts := tasks.NewJobTask(claim.Job{ID: id, RunAt: now})
	if got, err := tasks.ParseJob(task); err != nil || got != id {
		t.Errorf("ParseJob of its own task: %q, %v", got, err)
	}
	if len(opts) == 0 {
		t.Error("no options")
	}
	for _, payload := range []string{"", "not json", `{"job_id":"short"}`, `{"job_id":1}`} {
		_, err := tasks.ParseJob(asynq.NewTask(tasks.TypeJob, []byte(payload)))
		if !errors.Is(err, asynq.SkipRetry) {
			t.Errorf("payload %q: %v, want SkipRetry", payload, err)
		}
	}
}
