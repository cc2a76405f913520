package claim

import (
	"time"

	"github.com/oklog/ulid/v2"
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
)

// JobKinds lists every kind.
var JobKinds = []JobKind{JobNotify, JobReviewReminder, JobReviewEscalate, JobShipByReminder, JobShipByExpire,
	JobTurnaroundWarn, JobTurnaroundEscalate, JobAutoDeliver, JobClose}

// Job is a unit of background work about one claim. Its payload is the
// claim and, for a notification, the event it is about: the handler reads
// everything else afresh.
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

// notifies lists the events the buyer is e-mailed about.
var notifies = map[Action]bool{
	"submit": true, RequestInfo: true, Approve: true, Reject: true, Cancel: true, Receive: true,
	DecideRepair: true, DecideReplace: true, DecideReturnUnrepaired: true, ShipBack: true, Expire: true,
}

// jobSpec is the domain's half of a job kind.
type jobSpec struct {
	// at says when a transition (ev, leading to c) schedules the job, and
	// whether it does; reviewTarget is the end of the second working day of
	// a new claim.
	at func(c Claim, ev Event, reviewTarget time.Time) (time.Time, bool)
	// due says whether the job still has work at now; a job that is not due
	// any more is finished without effect (the world moved on).
	due func(c Claim, ev *Event, now time.Time) bool
}

// jobSpecs is the catalogue of job kinds.
var jobSpecs = map[JobKind]jobSpec{
	JobNotify: {
		at: func(_ Claim, ev Event, _ time.Time) (time.Time, bool) { return ev.At, notifies[ev.Action] },
		// The approval e-mail carries the slip: once the claim has none
		// (cancelled, expired) it is not sent.
		due: func(c Claim, ev *Event, _ time.Time) bool {
			return ev != nil && (ev.Action != Approve || c.Status.SlipAvailable())
		},
	},
	JobReviewReminder: {
		at:  func(_ Claim, ev Event, target time.Time) (time.Time, bool) { return target, ev.Action == "submit" },
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.Status.AwaitingReview() },
	},
	JobReviewEscalate: {
		at: func(c Claim, ev Event, _ time.Time) (time.Time, bool) {
			return deref(c.ReviewDueAt), (ev.Action == "submit" || ev.Action == Answer) && c.ReviewDueAt != nil
		},
		due: func(c Claim, _ *Event, now time.Time) bool { return c.Breached(ReviewClock, now) },
	},
	JobShipByReminder: {
		at: func(c Claim, ev Event, _ time.Time) (time.Time, bool) {
			if ev.Action != Approve || c.ShipBy == nil {
				return time.Time{}, false
			}
			remind := c.ShipBy.AddDate(0, 0, -ShipByReminderDays)
			return remind, remind.After(ev.At)
		},
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.Status == Approved },
	},
	JobShipByExpire: {
		at: func(c Claim, ev Event, _ time.Time) (time.Time, bool) {
			return deref(c.ShipBy), ev.Action == Approve && c.ShipBy != nil
		},
		due: func(c Claim, _ *Event, now time.Time) bool { return c.Breached(ShipByClock, now) },
	},
	JobTurnaroundWarn: {
		at: func(c Claim, ev Event, _ time.Time) (time.Time, bool) {
			if ev.Action != Receive || c.ReceivedAt == nil {
				return time.Time{}, false
			}
			return c.ReceivedAt.AddDate(0, 0, TurnaroundWarnDays), true
		},
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.Status.AtCenter() },
	},
	JobTurnaroundEscalate: {
		at: func(c Claim, ev Event, _ time.Time) (time.Time, bool) {
			return deref(c.ReturnDueAt), ev.Action == Receive && c.ReturnDueAt != nil
		},
		due: func(c Claim, _ *Event, now time.Time) bool { return c.Breached(TurnaroundClock, now) },
	},
	JobAutoDeliver: {
		at: func(_ Claim, ev Event, _ time.Time) (time.Time, bool) {
			return ev.At.AddDate(0, 0, AutoDeliverDays), ev.Action == ShipBack
		},
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.Status == Shipped },
	},
	JobClose: {
		at: func(_ Claim, ev Event, _ time.Time) (time.Time, bool) {
			return ev.At.AddDate(0, 0, CloseDays), ev.Action == Deliver
		},
		due: func(c Claim, _ *Event, _ time.Time) bool { return c.Status == Delivered },
	},
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
func jobsFor(c Claim, ev Event, reviewTarget time.Time) []Job {
	var jobs []Job
	for _, kind := range JobKinds {
		at, ok := jobSpecs[kind].at(c, ev, reviewTarget)
		if !ok {
			continue
		}
		j := Job{ID: ulid.Make().String(), Kind: kind, ClaimID: c.ID, RunAt: at}
		if kind == JobNotify {
			j.EventID = ev.ID
		}
		jobs = append(jobs, j)
	}
	return jobs
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
