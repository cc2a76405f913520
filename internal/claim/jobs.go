package claim

import (
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/promise"
)

// JobKind names a piece of background work a transition schedules.
type JobKind string

// The jobs of DESIGN.md §4. Each is written in the transaction of the
// transition that causes it and run at RunAt (at least once). The rules of
// each kind (when it is scheduled, whether it is still due) are its entry
// in jobSpecs; what it does is the worker's entry of the same kind.
const (
	JobNotify             JobKind = "notify"              // e-mail the buyer about the event
	JobReviewReminder     JobKind = "review_reminder"     // remind reps when the 2-day target passes
	JobReviewEscalate     JobKind = "review_escalate"     // escalate to admins when the 5-day deadline passes
	JobShipByReminder     JobKind = "ship_by_reminder"    // remind the buyer to send the device
	JobShipByExpire       JobKind = "ship_by_expire"      // expire an approved claim whose device never came
	JobTurnaroundWarn     JobKind = "turnaround_warn"     // warn the center at day 10 after receipt
	JobTurnaroundEscalate JobKind = "turnaround_escalate" // escalate at day 15 after receipt
	JobAutoDeliver        JobKind = "auto_deliver"        // count a shipped device as delivered after a while
	JobClose              JobKind = "close"               // close a delivered claim
	JobInfoReminder       JobKind = "info_reminder"       // remind the buyer of an unanswered question
	JobAbandon            JobKind = "abandon"             // end a claim whose question stayed unanswered
	JobApologyAnswer      JobKind = "apology_answer"      // tell the buyer the answer promise was broken
	JobApologyReturn      JobKind = "apology_return"      // tell the buyer the return promise was broken
	JobLockNotice         JobKind = "lock_notice"         // tell the buyer how to remove the activation lock
	JobLockCap            JobKind = "lock_cap"            // escalate when the activation lock outlasts its cap
)

// JobKinds lists every kind.
var JobKinds = []JobKind{JobNotify, JobReviewReminder, JobReviewEscalate, JobShipByReminder, JobShipByExpire,
	JobTurnaroundWarn, JobTurnaroundEscalate, JobAutoDeliver, JobClose, JobInfoReminder, JobAbandon,
	JobApologyAnswer, JobApologyReturn, JobLockNotice, JobLockCap}

// Job is a unit of background work about one claim. Its payload is the
// claim and, for a notification or a question's reminder, the event it is
// about: the handler reads everything else afresh.
type Job struct {
	ID      string
	Kind    JobKind
	ClaimID string
	EventID string // the event a notification is about
	RunAt   time.Time
}

// JobRecord is a job with its progress, as admins see it.
type JobRecord struct {
	Job
	RMANumber     string
	Attempts      int
	LastError     string
	NextAttemptAt *time.Time
	DeadAt        *time.Time
	DoneAt        *time.Time
}

// Clock settings of the jobs: when reminders and warnings come.
const (
	ReviewTargetDays   = 2 // working days: the promised answer
	ShipByReminderDays = 7 // calendar days before ship-by
	TurnaroundWarnDays = 10
	AutoDeliverDays    = 10 // a parcel is taken as delivered this long after shipping
	CloseDays          = 14 // a delivered claim closes this long after delivery
)

// notifies lists the events the buyer is e-mailed about: every step of
// their claim, each in a letter of its own (mail.{action}.subject).
var notifies = map[Action]bool{
	Submit: true, Pick: true, RequestInfo: true, Answer: true, Approve: true, Reject: true, Cancel: true,
	MarkSent: true, Receive: true, StartDiagnosis: true, DecideRepair: true, DecideReplace: true,
	DecideReturnUnrepaired: true, Ready: true, ShipBack: true, Deliver: true, Close: true, Expire: true,
	Abandon: true,
}

// jobSpec is the domain's half of a job kind.
type jobSpec struct {
	// at says when a transition (ev, leading to c) schedules jobs of the
	// kind: none, one or several times; reviewTarget is the end of the
	// second working day of a new claim, set the service's settings.
	at func(c Claim, ev Event, reviewTarget time.Time, set Settings) []time.Time
	// aboutEvent: the job names the transition's event (a notification,
	// or the question a reminder is about).
	aboutEvent bool
	// due says whether the job still has work at now; a job that is not due
	// any more is finished without effect (the world moved on).
	due func(c Claim, ev *Event, now time.Time) bool
}

// jobSpecs is the catalogue of job kinds.
var jobSpecs = map[JobKind]jobSpec{
	JobNotify: {
		at:         func(_ Claim, ev Event, _ time.Time, _ Settings) []time.Time { return when(ev.At, notifies[ev.Action]) },
		aboutEvent: true,
		// The approval e-mail carries the slip: once the claim has none
		// (cancelled, expired) it is not sent.
		due: func(c Claim, ev *Event, _ time.Time) bool {
			return ev != nil && (ev.Action != Approve || c.Status.SlipAvailable())
		},
	},
	JobReviewReminder: {
		at: func(_ Claim, ev Event, target time.Time, _ Settings) []time.Time {
			return when(target, ev.Action == Submit)
		},
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.Status.AwaitingReview() },
	},
	JobReviewEscalate: {
		at: func(c Claim, ev Event, _ time.Time, _ Settings) []time.Time {
			return when(deref(c.ReviewDueAt), (ev.Action == Submit || ev.Action == Answer) && c.ReviewDueAt != nil)
		},
		due: func(c Claim, _ *Event, now time.Time) bool { return c.Breached(ReviewClock, now) },
	},
	JobShipByReminder: {
		at: func(c Claim, ev Event, _ time.Time, _ Settings) []time.Time {
			if ev.Action != Approve || c.ShipBy == nil {
				return nil
			}
			remind := c.ShipBy.AddDate(0, 0, -ShipByReminderDays)
			return when(remind, remind.After(ev.At))
		},
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.Status == Approved },
	},
	JobShipByExpire: {
		at: func(c Claim, ev Event, _ time.Time, _ Settings) []time.Time {
			return when(deref(c.ShipBy), ev.Action == Approve && c.ShipBy != nil)
		},
		due: func(c Claim, _ *Event, now time.Time) bool { return c.Breached(ShipByClock, now) },
	},
	JobTurnaroundWarn: {
		at: func(c Claim, ev Event, _ time.Time, _ Settings) []time.Time {
			if ev.Action != Receive || c.ReceivedAt == nil {
				return nil
			}
			return when(c.ReceivedAt.AddDate(0, 0, TurnaroundWarnDays), true)
		},
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.Status.AtCenter() },
	},
	JobTurnaroundEscalate: {
		at: func(c Claim, ev Event, _ time.Time, _ Settings) []time.Time {
			return when(deref(c.ReturnDueAt), ev.Action == Receive && c.ReturnDueAt != nil)
		},
		due: func(c Claim, _ *Event, now time.Time) bool { return c.Breached(TurnaroundClock, now) },
	},
	JobAutoDeliver: {
		at: func(_ Claim, ev Event, _ time.Time, _ Settings) []time.Time {
			return when(ev.At.AddDate(0, 0, AutoDeliverDays), ev.Action == ShipBack)
		},
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.Status == Shipped },
	},
	JobClose: {
		at: func(_ Claim, ev Event, _ time.Time, _ Settings) []time.Time {
			return when(ev.At.AddDate(0, 0, CloseDays), ev.Action == Deliver)
		},
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.Status == Delivered },
	},
	JobInfoReminder: {
		at: func(_ Claim, ev Event, _ time.Time, set Settings) []time.Time {
			if ev.Action != RequestInfo {
				return nil
			}
			var out []time.Time
			for _, d := range set.InfoReminderDays {
				out = append(out, ev.At.AddDate(0, 0, d))
			}
			return out
		},
		aboutEvent: true,
		due:        func(c Claim, ev *Event, _ time.Time) bool { return c.WaitingOn(ev) },
	},
	JobAbandon: {
		at: func(_ Claim, ev Event, _ time.Time, set Settings) []time.Time {
			return when(ev.At.AddDate(0, 0, set.AbandonDays), ev.Action == RequestInfo)
		},
		aboutEvent: true,
		due:        func(c Claim, ev *Event, _ time.Time) bool { return c.WaitingOn(ev) },
	},
	// The apologies are scheduled by NoticeBreach, when a promise is found
	// broken, never by a transition.
	JobApologyAnswer: {
		at:  func(Claim, Event, time.Time, Settings) []time.Time { return nil },
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.brokenPromise(promise.Answer) },
	},
	JobApologyReturn: {
		at:  func(Claim, Event, time.Time, Settings) []time.Time { return nil },
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.brokenPromise(promise.Return) },
	},
	// The activation lock's jobs are scheduled by HoldReturn when the lock
	// pauses the return promise, never by a transition. Each is due while
	// the lock still holds it; the escalation checks the cap itself.
	JobLockNotice: {
		at:  func(Claim, Event, time.Time, Settings) []time.Time { return nil },
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.lockHeld() },
	},
	JobLockCap: {
		at:  func(Claim, Event, time.Time, Settings) []time.Time { return nil },
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.lockHeld() },
	},
}

// apologyFor is the apology job of each promise kind that has one.
var apologyFor = map[promise.Kind]JobKind{promise.Answer: JobApologyAnswer, promise.Return: JobApologyReturn}

// when is the job's one time when ok, else none.
func when(t time.Time, ok bool) []time.Time {
	if !ok {
		return nil
	}
	return []time.Time{t}
}

// WaitingOn reports whether the claim still waits for the buyer's answer to
// the question asked by the event q: the question that paused the review
// clock is still open. A reminder or abandonment scheduled by an earlier
// question that was answered does nothing.
func (c Claim) WaitingOn(q *Event) bool {
	return q != nil && c.Status == InfoRequested && c.ReviewPausedAt != nil && c.ReviewPausedAt.Equal(q.At)
}

// brokenPromise reports whether the claim's newest promise of kind is broken.
func (c Claim) brokenPromise(kind promise.Kind) bool {
	p, ok := c.Promise(kind)
	return ok && p.State == promise.Broken
}

// Known reports whether k is a kind of the catalogue.
func (k JobKind) Known() bool { _, ok := jobSpecs[k]; return ok }

// StillDue reports whether a job of kind k about claim c (and, for a
// notification, its event ev, nil when the claim has no such event) still
// has work to do at now. A job that is not due is done without effect:
// it is how a job learns that the world has moved on.
func (k JobKind) StillDue(c Claim, ev *Event, now time.Time) bool {
	spec, ok := jobSpecs[k]
	return ok && spec.due(c, ev, now)
}

// jobsFor returns the jobs a transition schedules: the buyer's e-mail and
// the deadline jobs of the clocks the transition starts. reviewTarget is the
// end of the second working day, for a new claim.
func jobsFor(c Claim, ev Event, reviewTarget time.Time, set Settings) []Job {
	var jobs []Job
	for _, kind := range JobKinds {
		spec := jobSpecs[kind]
		for _, at := range spec.at(c, ev, reviewTarget, set) {
			j := Job{ID: ulid.Make().String(), Kind: kind, ClaimID: c.ID, RunAt: at}
			if spec.aboutEvent {
				j.EventID = ev.ID
			}
			jobs = append(jobs, j)
		}
	}
	return jobs
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
