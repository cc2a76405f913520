// Package claim is the heart of the service: a buyer's claim under a
// coverage, its lifecycle (the transition table), the eligibility rules,
// RMA numbers and the service that applies them. It knows nothing of HTTP,
// SQL or queues; storage comes in through the Store interface.
package claim

import (
	"time"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/order"
	"rma/internal/promise"
)

// Claim is one request for repair or replacement of one device.
type Claim struct {
	ID          string
	RMANumber   string
	Status      Status
	Coverage    coverage.Kind
	OrderNumber string
	BuyerID     string
	BuyerEmail  string
	Language    string
	// IMEI identifies a phone, SerialNumber any other product: exactly one
	// is set. ProductName is the order's, kept with the claim.
	IMEI         string
	SerialNumber string
	ProductName  string
	Description  string
	// DeviceCheck says how the identifier is known to be the device's;
	// DeviceConflict flags another open claim of the same identifier
	// (where the order records none) for a rep.
	DeviceCheck    DeviceCheck
	DeviceConflict bool
	IncidentDate   *time.Time
	CenterCode     string

	CreatedAt      time.Time
	UpdatedAt      time.Time
	ReviewDueAt    *time.Time
	ReviewPausedAt *time.Time
	ShipBy         *time.Time
	ReceivedAt     *time.Time
	ReturnDueAt    *time.Time

	RejectReason    string
	Question        string
	Decision        string
	Findings        string
	ReplacementIMEI string
	UnrepairedCode  string
	InboundCarrier  string
	InboundTracking string
	ReturnCarrier   string
	ReturnTracking  string
	ShippedAt       *time.Time
	DeliveredAt     *time.Time

	// Promises is the claim's part of the ledger, oldest first; it is
	// written with every transition.
	Promises []promise.Promise

	Version int
}

// DeviceID is the identifier of the claimed device: its IMEI, or its serial
// number when it has none. A device has at most one open claim.
func (c Claim) DeviceID() string {
	if c.IMEI != "" {
		return c.IMEI
	}
	return c.SerialNumber
}

// Event is one step of a claim's history, written with the state change.
type Event struct {
	ID        string
	ClaimID   string
	At        time.Time
	Action    Action
	From      Status
	To        Status
	ActorID   string
	ActorRole account.Role
	// ActorName is the actor's name when read back (empty for the system).
	ActorName string
	Note      string
}

// View is a claim as read by its page or API: the claim, its history (oldest
// first) and the center it is routed to.
type View struct {
	Claim  Claim
	Events []Event
	Center center.Center
}

// StatusCount is how many claims of a center are in a status (reports).
type StatusCount struct {
	CenterCode string
	Status     Status
	N          int
}

// Receipt is a device a technician took in (the scan station's history).
type Receipt struct {
	RMANumber string
	At        time.Time
}

// Clock names the deadlines a claim can breach.
type Clock string

// The clocks of DESIGN.md §1.
const (
	ReviewClock     Clock = "review"
	ShipByClock     Clock = "ship_by"
	TurnaroundClock Clock = "turnaround"
)

// Overdue lists the clocks the claim has breached at now.
func (c Claim) Overdue(now time.Time) []Clock {
	var out []Clock
	for _, clock := range []Clock{ReviewClock, ShipByClock, TurnaroundClock} {
		if c.Breached(clock, now) {
			out = append(out, clock)
		}
	}
	return out
}

// Breached reports whether the claim's clock still runs and its deadline
// has come at now. Pages show it; the deadline jobs act on it.
func (c Claim) Breached(clock Clock, now time.Time) bool {
	var runs bool
	var due *time.Time
	switch clock {
	case ReviewClock:
		runs, due = c.Status.AwaitingReview(), c.ReviewDueAt
	case ShipByClock:
		runs, due = c.Status == Approved, c.ShipBy
	case TurnaroundClock:
		// The clock stands still while the return promise waits on the
		// buyer (the activation lock): its date moves when it resumes.
		_, _, held := c.returnHold()
		runs, due = c.Status.AtCenter() && !held, c.ReturnDueAt
	}
	return runs && due != nil && !now.Before(*due)
}

// Errors the claim service returns; each is a message key of the catalogue.
// Errors the claim service returns; each is a message key of the catalogue
// and is recognised with errors.Is (a copy carrying arguments still is it).
var (
	ErrNotFound = fault.New(fault.NotFound, "claim_not_found")
	// ErrForbidden: the actor's role may never do the action.
	ErrForbidden = fault.New(fault.Forbidden, "action_forbidden")
	// ErrWrongState: the claim is not in a state the action starts from;
	// the error's "Status" argument names the state it is in.
	ErrWrongState    = fault.New(fault.Conflict, "claim_wrong_state")
	errUnknownAction = fault.New(fault.Invalid, "action_unknown")
	// ErrOpenClaim: the device already has an open claim.
	ErrOpenClaim = fault.New(fault.Conflict, "device_has_open_claim")
)

// openClaimError is ErrOpenClaim on the field the order's device is named by.
func openClaimError(o *order.Order) error {
	field := "imei"
	if o != nil && !o.IsPhone() {
		field = "serial_number"
	}
	return &fault.Error{Kind: fault.Conflict, Reason: ErrOpenClaim.Reason, Fields: map[string]string{field: ErrOpenClaim.Reason}}
}
