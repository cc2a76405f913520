// Package promise is the ledger of what the service promised: an answer
// within the review days, the buyer's parcel before ship-by, the device back
// within the return days, and later the seller's answer and the platform's
// decision on a dispute. A promise is made by a transition, may be paused
// (with a reason) and resumed, and ends kept, broken or void. The ledger is
// what compliance is computed from, so that it can never look better than
// the truth: a promise past its due time that is still open counts as broken.
package promise

import (
	"time"
)

// Kind is what was promised.
type Kind string

// The kinds of promise of DESIGN.md §1.
const (
	Answer          Kind = "answer"
	ShipBy          Kind = "ship_by"
	Return          Kind = "return"
	SellerResponse  Kind = "seller_response"
	DisputeDecision Kind = "dispute_decision"
	// ReturnConfirmation is the seller's: to confirm a returned item within
	// some days of the carrier's delivery, or be assumed to have it.
	ReturnConfirmation Kind = "return_confirmation"
)

// Kinds lists every kind in the order reports show them.
var Kinds = []Kind{Answer, ShipBy, Return, SellerResponse, DisputeDecision, ReturnConfirmation}

// Dispute reports whether the kind is a dispute's promise rather than a
// claim's.
func (k Kind) Dispute() bool {
	return k == SellerResponse || k == DisputeDecision || k == ReturnConfirmation
}

// State is how a promise stands.
type State string

// The states of a promise.
const (
	Open   State = "open"
	Kept   State = "kept"
	Broken State = "broken"
	Void   State = "void"
)

// Pause reasons.
const (
	// ReasonQuestion: the rep asked the buyer a question; the answer
	// promise waits for the buyer.
	ReasonQuestion = "question"
	// ReasonActivationLock: the device arrived locked to the buyer's
	// account; the return promise waits for the buyer to remove the lock.
	ReasonActivationLock = "activation_lock"
)

// Pause is a stretch of time during which a promise's clock stood still.
type Pause struct {
	Reason string     `json:"reason"`
	From   time.Time  `json:"from"`
	To     *time.Time `json:"to,omitempty"`
}

// Promise is one row of the ledger.
type Promise struct {
	ID     string
	Kind   Kind
	MadeAt time.Time
	DueAt  time.Time
	State  State
	// SettledAt is when the promise ended: kept, settled late, or voided.
	SettledAt *time.Time
	// BrokenAt is when the breach was noticed (at most a sweep after the
	// due time, or when it was settled late).
	BrokenAt *time.Time
	Pauses   []Pause
}

// Make returns a new open promise.
func Make(id string, kind Kind, at, due time.Time) Promise {
	return Promise{ID: id, Kind: kind, MadeAt: at, DueAt: due, State: Open}
}

// Paused reports whether the promise's clock stands still now.
func (p Promise) Paused() bool {
	return len(p.Pauses) > 0 && p.Pauses[len(p.Pauses)-1].To == nil
}

// PausedFor returns how long the promise has stood still in all, up to now.
func (p Promise) PausedFor(now time.Time) time.Duration {
	var d time.Duration
	for _, ps := range p.Pauses {
		end := now
		if ps.To != nil {
			end = *ps.To
		}
		d += end.Sub(ps.From)
	}
	return d
}

// Overdue reports whether an open, running promise is past its due time.
func (p Promise) Overdue(now time.Time) bool {
	return p.State == Open && !p.Paused() && now.After(p.DueAt)
}

// Pause stops the clock of an open promise. Pausing a paused or ended
// promise changes nothing.
func (p *Promise) Pause(reason string, at time.Time) {
	if p.State != Open || p.Paused() {
		return
	}
	p.Pauses = append(p.Pauses, Pause{Reason: reason, From: at})
}

// Resume restarts the clock with its new due time (the caller knows how the
// kind counts time: working days for an answer, calendar time otherwise).
func (p *Promise) Resume(at, due time.Time) {
	if !p.Paused() {
		return
	}
	p.Pauses[len(p.Pauses)-1].To = &at
	p.DueAt = due
}

// endPause closes a pause still running when the promise ends.
func (p *Promise) endPause(at time.Time) {
	if p.Paused() {
		p.Pauses[len(p.Pauses)-1].To = &at
	}
}

// Settle ends the promise as done at at: kept when at is not after its due
// time (or the promise was paused, waiting on the other side), broken (late)
// otherwise. A promise already noticed as broken stays broken.
func (p *Promise) Settle(at time.Time) {
	if p.State != Open && p.State != Broken || p.SettledAt != nil {
		return
	}
	waiting := p.Paused()
	p.endPause(at)
	p.SettledAt = &at
	switch {
	case p.State == Broken:
	case waiting || !at.After(p.DueAt):
		p.State = Kept
	default:
		p.State, p.BrokenAt = Broken, &at
	}
}

// Void ends an open promise that no longer applies: the case ended first
// (cancelled, expired, abandoned) or the other side's promise it waited on.
func (p *Promise) Void(at time.Time) {
	if p.State != Open {
		return
	}
	p.endPause(at)
	p.State, p.SettledAt = Void, &at
}

// NoticeBreach marks an open promise past its due time as broken, noticed at
// now. It reports whether it did: a promise kept, voided, paused, not yet
// due or already noticed is left alone, so noticing twice tells once.
func (p *Promise) NoticeBreach(now time.Time) bool {
	if !p.Overdue(now) {
		return false
	}
	p.State, p.BrokenAt = Broken, &now
	return true
}

// BreakOnHold marks an open promise that stands still as broken, noticed at
// now: its pause outlasted what the other side may take. It reports whether
// it did (an ended, running or already broken promise is left alone).
func (p *Promise) BreakOnHold(now time.Time) bool {
	if p.State != Open || !p.Paused() {
		return false
	}
	p.State, p.BrokenAt = Broken, &now
	return true
}

// Find returns the index of the newest promise of kind in ps, or -1.
func Find(ps []Promise, kind Kind) int {
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Kind == kind {
			return i
		}
	}
	return -1
}
