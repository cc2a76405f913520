package claim

import (
	"time"

	"github.com/oklog/ulid/v2"
)

// JobKind names a piece of background work a transition schedules.
type JobKind string

// The jobs of DESIGN.md §4. Each is written in the transaction of the
// transition that causes it and run at RunAt (at least once).
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
	JobApology            JobKind = "apology"             // tell the buyer a promise was broken, and what now
)

// JobKinds lists every kind.
var JobKinds = []JobKind{JobNotify, JobReviewReminder, JobReviewEscalate, JobShipByReminder, JobShipByExpire,
	JobTurnaroundWarn, JobTurnaroundEscalate, JobAutoDeliver, JobClose, JobInfoReminder, JobAbandon, JobApology}

// Job is a unit of background work about one claim.
type Job struct {
	ID      string
	Kind    JobKind
	ClaimID string
	// EventID is the event a notification or a question's reminder is
	// about; for an apology, the broken promise's id.
	EventID string
	RunAt   time.Time
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

// jobsFor returns the jobs a transition schedules: the buyer's e-mail and
// the deadline jobs of the clocks the transition starts. reviewTarget is the
// end of the second working day, for a new claim.
func jobsFor(c Claim, ev Event, reviewTarget time.Time, set Settings) []Job {
	var jobs []Job
	add := func(kind JobKind, at time.Time, eventID string) {
		jobs = append(jobs, Job{ID: ulid.Make().String(), Kind: kind, ClaimID: c.ID, EventID: eventID, RunAt: at})
	}
	if notifies[ev.Action] {
		add(JobNotify, ev.At, ev.ID)
	}
	switch ev.Action {
	case Submit:
		add(JobReviewReminder, reviewTarget, "")
		add(JobReviewEscalate, *c.ReviewDueAt, "")
	case RequestInfo:
		for _, d := range set.InfoReminderDays {
			add(JobInfoReminder, ev.At.AddDate(0, 0, d), ev.ID)
		}
		add(JobAbandon, ev.At.AddDate(0, 0, set.AbandonDays), ev.ID)
	case Answer:
		add(JobReviewEscalate, *c.ReviewDueAt, "")
	case Approve:
		if remind := c.ShipBy.AddDate(0, 0, -ShipByReminderDays); remind.After(ev.At) {
			add(JobShipByReminder, remind, "")
		}
		add(JobShipByExpire, *c.ShipBy, "")
	case Receive:
		add(JobTurnaroundWarn, c.ReceivedAt.AddDate(0, 0, TurnaroundWarnDays), "")
		add(JobTurnaroundEscalate, *c.ReturnDueAt, "")
	case ShipBack:
		add(JobAutoDeliver, ev.At.AddDate(0, 0, AutoDeliverDays), "")
	case Deliver:
		add(JobClose, ev.At.AddDate(0, 0, CloseDays), "")
	}
	return jobs
}

// WaitingOn reports whether the claim still waits for the buyer's answer to
// the question asked by the event questionID: a reminder or abandonment
// scheduled by an earlier question that was answered does nothing.
func (v View) WaitingOn(questionID string) bool {
	if v.Claim.Status != InfoRequested {
		return false
	}
	for i := len(v.Events) - 1; i >= 0; i-- {
		if v.Events[i].Action == RequestInfo {
			return v.Events[i].ID == questionID
		}
	}
	return false
}
