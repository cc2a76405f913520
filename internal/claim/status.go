package claim

import (
	"slices"

	"rma/internal/account"
)

// Status is where a claim is in its lifecycle.
type Status string

// The statuses of DESIGN.md §1.
const (
	Submitted           Status = "submitted"
	UnderReview         Status = "under_review"
	InfoRequested       Status = "info_requested"
	Approved            Status = "approved"
	Rejected            Status = "rejected"
	Cancelled           Status = "cancelled"
	InTransit           Status = "in_transit"
	Received            Status = "received"
	Diagnosing          Status = "diagnosing"
	Repairing           Status = "repairing"
	Replacing           Status = "replacing"
	ReturningUnrepaired Status = "returning_unrepaired"
	ReadyToShip         Status = "ready_to_ship"
	Shipped             Status = "shipped"
	Delivered           Status = "delivered"
	Closed              Status = "closed"
	Expired             Status = "expired"
	// Abandoned: the buyer did not answer a question in time.
	Abandoned Status = "abandoned"
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{Submitted, UnderReview, InfoRequested, Approved, Rejected, Cancelled, InTransit,
	Received, Diagnosing, Repairing, Replacing, ReturningUnrepaired, ReadyToShip, Shipped, Delivered,
	Closed, Expired, Abandoned}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Terminal reports whether nothing more can happen to a claim in s.
func (s Status) Terminal() bool {
	return s == Rejected || s == Cancelled || s == Expired || s == Closed || s == Abandoned
}

// Open reports whether the device is still tied up in the claim: a device
// has at most one open claim. A delivered device is back with its buyer, who
// may file a new claim for it before the old one is closed.
func (s Status) Open() bool { return !s.Terminal() && s != Delivered }

// ReviewStatuses are the statuses in which the review clock runs.
var ReviewStatuses = []Status{Submitted, UnderReview}

// AtCenterStatuses are the statuses in which the device is at the service
// center and the turnaround clock runs.
var AtCenterStatuses = []Status{Received, Diagnosing, Repairing, Replacing, ReturningUnrepaired, ReadyToShip}

// AwaitingReview reports whether the review clock runs in s.
func (s Status) AwaitingReview() bool { return slices.Contains(ReviewStatuses, s) }

// AtCenter reports whether the device is at the service center (the
// turnaround clock runs).
func (s Status) AtCenter() bool { return slices.Contains(AtCenterStatuses, s) }

// SlipAvailable reports whether a claim in s has a shipping slip: from
// approval on, never for a refused or abandoned claim.
func (s Status) SlipAvailable() bool {
	return !s.Terminal() && s != Submitted && s != UnderReview && s != InfoRequested
}

// Action is something a user or the system does to a claim.
type Action string

// The actions of the lifecycle table. Decide has one action per outcome so
// that the table stays a plain lookup.
const (
	Submit                 Action = "submit"
	Pick                   Action = "pick"
	Approve                Action = "approve"
	Reject                 Action = "reject"
	RequestInfo            Action = "request_info"
	Answer                 Action = "answer"
	Cancel                 Action = "cancel"
	MarkSent               Action = "mark_sent"
	Receive                Action = "receive"
	StartDiagnosis         Action = "start_diagnosis"
	DecideRepair           Action = "decide_repair"
	DecideReplace          Action = "decide_replace"
	DecideReturnUnrepaired Action = "decide_return_unrepaired"
	Ready                  Action = "ready"
	ShipBack               Action = "ship_back"
	Deliver                Action = "deliver"
	Close                  Action = "close"
	Expire                 Action = "expire"
	Abandon                Action = "abandon"
)

// System is the role of the service itself (timers, sweeps).
const System account.Role = "system"

// Rule is one row of the transition table.
type Rule struct {
	From  []Status
	To    Status
	Roles []account.Role
}

// beforeReceipt are the statuses a buyer may still cancel from.
var beforeReceipt = []Status{Submitted, UnderReview, InfoRequested, Approved, InTransit}

var (
	review = ReviewStatuses
	// deciding: a rep may decide while a question is open; the decision
	// closes the question.
	deciding = []Status{Submitted, UnderReview, InfoRequested}
	decision = []Status{Received, Diagnosing}
	workshop = []Status{Repairing, Replacing, ReturningUnrepaired}
	buyer    = []account.Role{account.Buyer}
	rep      = []account.Role{account.Rep}
	tech     = []account.Role{account.Technician}
	system   = []account.Role{System}
)

// NoClaim is the state before a claim exists: the only state Submit
// starts from.
const NoClaim Status = ""

// transitions is the lifecycle of DESIGN.md §1: who may do what, from where,
// to where. Ownership (a buyer's own claim, a technician's own center) is
// checked where the claim is loaded; this table knows roles only. It is read
// through Next, Can, RolesOf and Actions.
var transitions = map[Action]Rule{
	Submit:                 {From: []Status{NoClaim}, To: Submitted, Roles: buyer},
	Pick:                   {From: []Status{Submitted}, To: UnderReview, Roles: rep},
	Approve:                {From: deciding, To: Approved, Roles: rep},
	Reject:                 {From: deciding, To: Rejected, Roles: rep},
	RequestInfo:            {From: review, To: InfoRequested, Roles: rep},
	Answer:                 {From: []Status{InfoRequested}, To: UnderReview, Roles: buyer},
	Cancel:                 {From: beforeReceipt, To: Cancelled, Roles: buyer},
	MarkSent:               {From: []Status{Approved}, To: InTransit, Roles: buyer},
	Receive:                {From: []Status{Approved, InTransit}, To: Received, Roles: tech},
	StartDiagnosis:         {From: []Status{Received}, To: Diagnosing, Roles: tech},
	DecideRepair:           {From: decision, To: Repairing, Roles: tech},
	DecideReplace:          {From: decision, To: Replacing, Roles: tech},
	DecideReturnUnrepaired: {From: decision, To: ReturningUnrepaired, Roles: tech},
	Ready:                  {From: workshop, To: ReadyToShip, Roles: tech},
	ShipBack:               {From: []Status{ReadyToShip}, To: Shipped, Roles: tech},
	Deliver:                {From: []Status{Shipped}, To: Delivered, Roles: []account.Role{account.Buyer, account.Technician, System}},
	Close:                  {From: []Status{Delivered}, To: Closed, Roles: system},
	Expire:                 {From: []Status{Approved}, To: Expired, Roles: system},
	Abandon:                {From: []Status{InfoRequested}, To: Abandoned, Roles: system},
}

// Next returns the status a claim in from moves to when role does action.
// A role that may never do the action gets a forbidden error; a claim in the
// wrong state gets a conflict.
func Next(action Action, from Status, role account.Role) (Status, error) {
	rule, ok := transitions[action]
	if !ok {
		return "", errUnknownAction
	}
	if !slices.Contains(rule.Roles, role) {
		return "", ErrForbidden
	}
	if !slices.Contains(rule.From, from) {
		return "", ErrWrongState
	}
	return rule.To, nil
}

// Can reports whether role may do action to a claim in from.
func Can(action Action, from Status, role account.Role) bool {
	_, err := Next(action, from, role)
	return err == nil
}

// RolesOf returns the roles that may do action from some state.
func RolesOf(action Action) []account.Role {
	return slices.Clone(transitions[action].Roles)
}

// Actions returns every action of the lifecycle table, in a stable order.
func Actions() []Action {
	out := make([]Action, 0, len(transitions))
	for a := range transitions {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// SystemOnly reports whether only the service itself (timers, sweeps) may
// do action: no person is offered it.
func SystemOnly(action Action) bool {
	roles := transitions[action].Roles
	return len(roles) > 0 && !slices.ContainsFunc(roles, func(r account.Role) bool { return r != System })
}
