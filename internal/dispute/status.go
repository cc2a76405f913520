package dispute

import (
	"slices"

	"rma/internal/account"
	"rma/internal/fault"
)

// Status is where a dispute is in its lifecycle.
type Status string

// The statuses of DESIGN.md's Basic protection table.
const (
	Open      Status = "open"
	Offered   Status = "offered"
	Agreed    Status = "agreed"
	Refused   Status = "refused"
	Escalated Status = "escalated"
	Rejected  Status = "rejected"
	Returning Status = "returning"
	Refunded  Status = "refunded"
	Withdrawn Status = "withdrawn"
	Closed    Status = "closed"
)

// NoDispute is the state before a dispute exists: the only state OpenDispute
// starts from.
const NoDispute Status = ""

// Statuses lists every status in lifecycle order.
var Statuses = []Status{Open, Offered, Agreed, Refused, Escalated, Rejected, Returning, Refunded, Withdrawn, Closed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Terminal reports whether nothing more can happen to a dispute in s.
func (s Status) Terminal() bool { return s == Closed }

// Active reports whether the dispute still holds its order: an order has at
// most one active dispute. A dispute that ended (refunded, rejected,
// withdrawn) frees the order even before it is closed.
func (s Status) Active() bool {
	return s != NoDispute && s != Refunded && s != Rejected && s != Withdrawn && s != Closed
}

// Action is something a user or the system does to a dispute.
type Action string

// The actions of the lifecycle table. Accepting is two actions (the seller
// accepts the buyer's remedy, the buyer accepts the seller's offer), as are
// escalating (by a party, or by the system when the seller's promise breaks)
// and deciding (one per outcome): the table stays a plain lookup.
const (
	OpenDispute   Action = "open"
	Accept        Action = "accept"
	Offer         Action = "offer"
	AcceptOffer   Action = "accept_offer"
	Decline       Action = "decline"
	Refuse        Action = "refuse"
	Escalate      Action = "escalate"
	AutoEscalate  Action = "auto_escalate"
	DecideRefund  Action = "decide_refund"
	DecideReject  Action = "decide_reject"
	SendBack      Action = "send_back"
	ConfirmReturn Action = "confirm_return"
	Refund        Action = "refund"
	Withdraw      Action = "withdraw"
	Close         Action = "close"
)

// System is the role of the service itself (timers, sweeps).
const System account.Role = "system"

// Rule is one row of the transition table.
type Rule struct {
	From  []Status
	To    Status
	Roles []account.Role
}

var (
	buyer   = []account.Role{account.Buyer}
	seller  = []account.Role{account.Seller}
	rep     = []account.Role{account.Rep}
	system  = []account.Role{System}
	parties = []account.Role{account.Buyer, account.Seller}
)

// transitions is the lifecycle of DESIGN.md's Basic protection table: who
// may do what, from where, to where. Ownership (the buyer's own order, the
// seller's own order) is checked where the dispute is loaded; conditions on
// the remedy (only a return is sent back, only a refund remedy is refunded
// without one) are the service's. It is read through Next, Can, RolesOf and
// Actions.
var transitions = map[Action]Rule{
	OpenDispute:   {From: []Status{NoDispute}, To: Open, Roles: buyer},
	Accept:        {From: []Status{Open}, To: Agreed, Roles: seller},
	Offer:         {From: []Status{Open}, To: Offered, Roles: seller},
	AcceptOffer:   {From: []Status{Offered}, To: Agreed, Roles: buyer},
	Decline:       {From: []Status{Offered}, To: Open, Roles: buyer},
	Refuse:        {From: []Status{Open}, To: Refused, Roles: seller},
	Escalate:      {From: []Status{Offered, Refused}, To: Escalated, Roles: parties},
	AutoEscalate:  {From: []Status{Open}, To: Escalated, Roles: system},
	DecideRefund:  {From: []Status{Escalated}, To: Agreed, Roles: rep},
	DecideReject:  {From: []Status{Escalated}, To: Rejected, Roles: rep},
	SendBack:      {From: []Status{Agreed}, To: Returning, Roles: buyer},
	ConfirmReturn: {From: []Status{Returning}, To: Refunded, Roles: []account.Role{account.Seller, System}},
	Refund:        {From: []Status{Agreed}, To: Refunded, Roles: system},
	Withdraw:      {From: []Status{Open, Offered, Refused}, To: Withdrawn, Roles: buyer},
	Close:         {From: []Status{Refunded, Rejected, Withdrawn}, To: Closed, Roles: system},
}

// Errors of the lifecycle, recognised with errors.Is.
var (
	ErrForbidden     = fault.New(fault.Forbidden, "action_forbidden")
	ErrWrongState    = fault.New(fault.Conflict, "dispute_wrong_state")
	errUnknownAction = fault.New(fault.Invalid, "action_unknown")
)

// Next returns the status a dispute in from moves to when role does action.
// A role that may never do the action gets a forbidden error; a dispute in
// the wrong state gets a conflict.
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

// Can reports whether role may do action to a dispute in from.
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
