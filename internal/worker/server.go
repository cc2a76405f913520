package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/oklog/ulid/v2"
	"github.com/redis/go-redis/v9"

	"rma/internal/mail"
	"rma/internal/tasks"
)

// Options tune the worker.
type Options struct {
	Concurrency int           // handlers at once (default 4)
	SweepEvery  time.Duration // the periodic sweep (default 1 minute)
	RelayEvery  time.Duration // outbox polling (default 1 second)
}

// Worker is the asynq server with its handlers, the scheduler of the
// periodic sweep and the outbox relay.
type Worker struct {
	rdb    redis.UniversalClient
	srv    *asynq.Server
	sched  *asynq.Scheduler
	relay  *tasks.Relay
	runner *Runner
	log    *slog.Logger
	opt    Options
	stop   context.CancelFunc
	wg     sync.WaitGroup
}

// New builds a worker on a Redis client.
func New(rdb redis.UniversalClient, runner *Runner, relay *tasks.Relay, log *slog.Logger, opt Options) *Worker {
	if opt.Concurrency <= 0 {
		opt.Concurrency = 4
	}
	if opt.SweepEvery <= 0 {
		opt.SweepEvery = time.Minute
	}
	if opt.RelayEvery <= 0 {
		opt.RelayEvery = time.Second
	}
	srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Concurrency:              opt.Concurrency,
		Queues:                   map[string]int{tasks.Queue: 1},
		Logger:                   asynqLogger{log},
		ShutdownTimeout:          20 * time.Second,
		DelayedTaskCheckInterval: time.Second,
		IsFailure:                func(err error) bool { return !errors.Is(err, context.Canceled) },
	})
	sched := asynq.NewSchedulerFromRedisClient(rdb, &asynq.SchedulerOpts{Logger: asynqLogger{log}, Location: time.UTC})
	return &Worker{rdb: rdb, srv: srv, sched: sched, relay: relay, runner: runner, log: log, opt: opt}
}

// Mux returns the task handlers.
func (w *Worker) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(tasks.TypeJob, func(ctx context.Context, t *asynq.Task) error {
		id, err := tasks.ParseJob(t)
		if err != nil {
			w.log.Error("job archived", "type", t.Type(), "err", err)
			return err
		}
		// A job that cannot succeed is dead in the outbox already; the
		// queue archives its task instead of retrying it.
		if err := w.runner.Run(ctx, id); errors.Is(err, ErrPermanent) || errors.Is(err, ErrJobDead) ||
			errors.Is(err, mail.ErrRejected) {
			w.log.Error("job archived", "job", id, "err", err)
			return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
		} else if err != nil {
			return err
		}
		return nil
	})
	mux.HandleFunc(tasks.TypeSweep, func(ctx context.Context, _ *asynq.Task) error {
		_, err := w.Sweep(ctx)
		return err
	})
	return mux
}

// sweepLock is the Redis key held by the one sweep running among every
// worker process of a deployment.
const sweepLock = "rma:sweep:lock"

// release deletes the lock only when it is still the holder's.
var release = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// Sweep relays the outbox and runs the late jobs, unless another worker's
// sweep is running: one sweep at a time does the work, the others find
// nothing to do. (Jobs are leased one by one as well, so even two sweeps
// would not run a job twice; the lock spares the database the contest.)
func (w *Worker) Sweep(ctx context.Context) (int, error) {
	token := ulid.Make().String()
	ok, err := w.rdb.SetNX(ctx, sweepLock, token, sweepTimeout).Result()
	if err != nil {
		return 0, fmt.Errorf("sweep lock: %w", err)
	}
	if !ok {
		w.log.Debug("sweep: another worker's sweep is running")
		return 0, nil
	}
	defer release.Run(context.WithoutCancel(ctx), w.rdb, []string{sweepLock}, token)
	if _, err := w.relay.Once(ctx); err != nil {
		w.log.Warn("sweep: relay", "err", err)
	}
	n, err := w.runner.Sweep(ctx)
	if n > 0 {
		w.log.Info("sweep ran late jobs", "count", n)
	}
	return n, err
}

// sweepTimeout bounds one sweep (the task's timeout and the lock's life).
const sweepTimeout = 5 * time.Minute

// Start runs the handlers, the sweep schedule and the relay in the
// background.
func (w *Worker) Start(ctx context.Context) error {
	// Every worker's scheduler registers the sweep; the lock in Sweep lets
	// one of them do the work.
	if _, err := w.sched.Register(fmt.Sprintf("@every %s", w.opt.SweepEvery), asynq.NewTask(tasks.TypeSweep, nil),
		asynq.Queue(tasks.Queue), asynq.MaxRetry(0), asynq.Timeout(sweepTimeout)); err != nil {
		return fmt.Errorf("schedule sweep: %w", err)
	}
	if err := w.srv.Start(w.Mux()); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	if err := w.sched.Start(); err != nil {
		w.srv.Shutdown()
		return fmt.Errorf("start scheduler: %w", err)
	}
	rctx, cancel := context.WithCancel(ctx)
	w.stop = cancel
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		w.relay.Run(rctx, w.opt.RelayEvery)
	}()
	// A first sweep at start catches what was due while nothing ran.
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		if _, err := w.Sweep(rctx); err != nil && rctx.Err() == nil {
			w.log.Warn("start-up sweep", "err", err)
		}
	}()
	return nil
}

// Shutdown stops taking work and waits for running handlers; tasks that do
// not finish in time go back to the queue.
func (w *Worker) Shutdown() {
	if w.stop != nil {
		w.stop()
	}
	w.sched.Shutdown()
	w.srv.Shutdown()
	w.wg.Wait()
}

// asynqLogger routes asynq's own logs into slog.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...), "component", "asynq") }
func (a asynqLogger) Error(args ...any) {
	msg := fmt.Sprint(args...)
	if strings.Contains(msg, "redis connection is shared") {
		// The scheduler tries to close the client it was given at every
		// shutdown; the app closes it itself, so this is no error.
		a.l.Debug(msg, "component", "asynq")
		return
	}
	a.l.Error(msg, "component", "asynq")
}
func (a asynqLogger) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...), "component", "asynq") }
