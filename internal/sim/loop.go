package sim

import (
	"container/heap"
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/mail"
	"rma/internal/promise"
	"rma/internal/tasks"
	"rma/internal/worker"
)

// outage is how long the worker stays down: short enough that the sweep at
// its restart still notices every breach within NoticeBound.
const outage = 35 * time.Second

// loop runs the steps and the worker's sweeps in the order of the virtual
// clock. The sweep runs on its period's grid; a tick at which no job is
// ready to be swept would find nothing to do and is skipped, so that a
// month passes in seconds.
func (r *run) loop(ctx context.Context) error {
	span := time.Duration(r.opt.Days) * 24 * time.Hour
	end := r.opt.Start.Add(span)
	r.rep.WorkerStopped = r.opt.Start.Add(span / 2).Truncate(SweepEvery)
	r.rep.WorkerRestarted = r.rep.WorkerStopped.Add(outage)
	r.rep.RedisFlushed = r.opt.Start.Add(span / 3).Truncate(time.Hour).Add(7 * time.Second)
	w := r.app.NewWorker()
	base, last := r.opt.Start, time.Time{}
	stopped, restarted, flushed := false, false, false
	day := 0
	for {
		now := r.clock.Now()
		next, what := end, "end"
		if len(r.steps) > 0 && r.steps[0].at.Before(next) {
			next, what = r.steps[0].at, "step"
		}
		if w != nil {
			if t, ok, err := r.nextSweep(ctx, base, last, now); err != nil {
				return err
			} else if ok && !t.After(next) {
				next, what = t, "sweep"
			}
		}
		if !flushed && !r.rep.RedisFlushed.After(next) {
			next, what = r.rep.RedisFlushed, "flush"
		}
		if !stopped && !r.rep.WorkerStopped.After(next) {
			next, what = r.rep.WorkerStopped, "stop"
		}
		if stopped && !restarted && !r.rep.WorkerRestarted.After(next) {
			next, what = r.rep.WorkerRestarted, "restart"
		}
		if next.Before(now) {
			next = now
		}
		r.clock.set(next)
		if d := int(next.Sub(r.opt.Start) / (24 * time.Hour)); d > day && r.opt.Progress != nil {
			day = d
			fmt.Fprintf(r.opt.Progress, "day %d of %d\n", day, r.opt.Days)
		}
		switch what {
		case "end":
			return nil
		case "step":
			s := heap.Pop(&r.steps).(step)
			if err := s.do(ctx); err != nil {
				r.rep.Refused = append(r.rep.Refused, fmt.Sprintf("%s at %s: %v", s.who, s.at.Format(time.RFC3339), err))
			}
		case "sweep":
			if err := r.sweep(ctx, w); err != nil {
				return err
			}
			last = next
		case "flush":
			info, err := r.app.Inspector.GetQueueInfo(tasks.Queue)
			if err == nil {
				r.rep.TasksFlushed = int64(info.Size)
			}
			if err := r.app.Redis.FlushDB(ctx).Err(); err != nil {
				return fmt.Errorf("flush redis: %w", err)
			}
			flushed = true
		case "stop":
			// The worker dies between two sweeps: nothing sweeps until a
			// new one starts.
			w, stopped = nil, true
		case "restart":
			// A new worker's first act is a sweep (as Worker.Start does),
			// and its schedule counts from its start.
			w, restarted = r.app.NewWorker(), true
			if err := r.sweep(ctx, w); err != nil {
				return err
			}
			base, last = next, next
		}
	}
}

func (r *run) sweep(ctx context.Context, w *worker.Worker) error {
	if _, err := w.Sweep(ctx); err != nil {
		return fmt.Errorf("sweep at %s: %w", r.clock.Now().Format(time.RFC3339), err)
	}
	r.rep.Sweeps++
	return nil
}

// nextSweep returns the first tick of the sweep's grid (base + k·period,
// after last and not before now) at which the sweep will find work: a job
// late enough to run, or a Basic protection deadline passed (a seller's
// answer, a rep's decision, a return's confirmation, an undelivered order's
// grace) or a compensation not told yet. ok is false when nothing waits.
func (r *run) nextSweep(ctx context.Context, base, last, now time.Time) (time.Time, bool, error) {
	jobs, err := r.app.Store.DueJobs(ctx, now.AddDate(10, 0, 0), now, nil, 1)
	if err != nil {
		return time.Time{}, false, err
	}
	ready, ok, err := r.nextBasicDue(ctx)
	if err != nil {
		return time.Time{}, false, err
	}
	if len(jobs) > 0 {
		if t := jobs[0].RunAt.Add(r.app.Runner.Grace); !ok || t.Before(ready) {
			ready, ok = t, true
		}
	}
	if !ok {
		return time.Time{}, false, nil
	}
	if ready.Before(now) {
		ready = now
	}
	if !last.IsZero() && !ready.After(last) {
		ready = last.Add(time.Nanosecond)
	}
	k := (ready.Sub(base) + SweepEvery - 1) / SweepEvery
	return base.Add(k * SweepEvery), true, nil
}

// escalations names the staff letter each breach of a promise kind sends.
var escalations = map[promise.Kind]string{promise.Answer: "review_escalate", promise.Return: "turnaround_escalate"}

// check reads the ledger and the kept e-mails.
func (r *run) check(ctx context.Context) error {
	end := r.clock.Now()
	tally, err := r.app.Store.PromiseTally(ctx, promise.Filter{From: r.opt.Start.AddDate(-1, 0, 0), To: end.AddDate(1, 0, 0)}, end)
	if err != nil {
		return err
	}
	r.rep.Tally = tally
	mails, err := r.allMail(ctx)
	if err != nil {
		return err
	}
	byClaim := map[string][]mail.Record{}
	seen := map[string]int{}
	for _, m := range mails {
		r.rep.Mails[m.Kind]++
		byClaim[m.RMANumber] = append(byClaim[m.RMANumber], m)
		seen[m.RMANumber+" "+m.Kind+" "+m.To]++
		seen["key "+m.DedupeKey]++
	}
	// Each claim's story tells each thing once (one question at most), so
	// each kind of letter reaches each person once, but for the reminders
	// of an unanswered question, one per reminder day.
	for k, n := range seen {
		allowed := 1
		if strings.Contains(k, " info_reminder ") {
			allowed = len(claim.DefaultInfoReminderDays)
		}
		if n > allowed {
			r.rep.Duplicates = append(r.rep.Duplicates, fmt.Sprintf("%s: %d times", k, n))
		}
	}
	sort.Strings(r.rep.Duplicates)
	if err := r.checkDisputes(ctx, byClaim, end); err != nil {
		return err
	}
	admin := r.users["admin"].Actor()
	for _, s := range r.claims {
		if s.rma == "" {
			continue
		}
		if err := r.checkClaim(ctx, admin, s.rma, byClaim[s.rma], end); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) checkClaim(ctx context.Context, admin account.Actor, rma string, mails []mail.Record, end time.Time) error {
	v, err := r.app.Claims.Get(ctx, admin, rma)
	if err != nil {
		return err
	}
	for _, p := range v.Claim.Promises {
		letter, escalated := escalations[p.Kind]
		switch {
		case p.State == promise.Broken:
			if p.BrokenAt == nil || p.BrokenAt.Before(p.DueAt) || p.BrokenAt.Sub(p.DueAt) > NoticeBound {
				r.rep.Missed = append(r.rep.Missed, fmt.Sprintf("%s %s due %s noticed %v", rma, p.Kind, p.DueAt.Format(time.RFC3339), p.BrokenAt))
				continue
			}
			r.rep.MaxNotice = max(r.rep.MaxNotice, p.BrokenAt.Sub(p.DueAt))
			if !escalated {
				continue
			}
			found := false
			for _, m := range mails {
				if m.Kind == letter && !m.CreatedAt.Before(p.DueAt) && m.CreatedAt.Sub(p.DueAt) <= NoticeBound {
					found = true
				}
			}
			if !found {
				r.rep.Missed = append(r.rep.Missed, fmt.Sprintf("%s %s due %s: no %s within %s", rma, p.Kind, p.DueAt.Format(time.RFC3339), letter, NoticeBound))
			}
		case p.Overdue(end) && end.Sub(p.DueAt) > NoticeBound:
			r.rep.Missed = append(r.rep.Missed, fmt.Sprintf("%s %s due %s still open at the end", rma, p.Kind, p.DueAt.Format(time.RFC3339)))
		}
		if !escalated {
			continue
		}
		for _, m := range mails {
			if m.Kind == letter && (p.State != promise.Broken || m.CreatedAt.Before(p.DueAt)) {
				r.rep.False = append(r.rep.False, fmt.Sprintf("%s %s to %s at %s: promise %s due %s", rma, letter, m.To,
					m.CreatedAt.Format(time.RFC3339), p.State, p.DueAt.Format(time.RFC3339)))
			}
		}
	}
	return nil
}

// allMail reads every kept e-mail, newest first.
func (r *run) allMail(ctx context.Context) ([]mail.Record, error) {
	var out []mail.Record
	f := mail.Filter{Limit: 1000}
	for {
		page, err := r.app.Store.ListMail(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out, nil
		}
		f.Before = page[len(page)-1].ID
	}
}
