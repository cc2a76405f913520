package web

import (
	"time"

	"rma/internal/carrier"
	"rma/internal/claim"
	"rma/internal/promise"
)

// journeyStep is one step of a claim's journey as its buyer sees it: what
// happened when, and what was promised for it (from the promise ledger).
type journeyStep struct {
	// Key names the step (journey.step.{Key}).
	Key string
	// State: done, current, todo, stopped (the claim ended here) or
	// skipped (it ended before).
	State string
	At    *time.Time
	// Promise is the ledger's promise for the step (ID "" when none was
	// made).
	Promise promise.Promise
	// Due is the promised date when the ledger has none yet (the claim
	// itself carries it).
	Due *time.Time
	// Link is a carrier's tracking page for the step's parcel.
	Link, Carrier, Tracking string
}

// todoCard is the one thing the buyer should do now, or why there is
// nothing to do.
type todoCard struct {
	// Kind: answer, slip, review, in_transit, repairing, activation_lock,
	// shipped, delivered, rejected, ended.
	Kind string
	By   *time.Time
	// Question is the open question; Reason the refusal's reason code.
	Question, Reason string
	Link             string
}

// journey is a claim's stepper with its card.
type journey struct {
	RMA     string
	Product string
	Order   string
	Steps   []journeyStep
	Todo    todoCard
	// Zone names the center's time zone, in which every time is shown.
	Center, Zone string
}

// stepKeys are the journey's steps in order.
var stepKeys = []string{"filed", "decision", "send", "arrive", "repair", "back", "delivered"}

// stepOf is the step a claim in each status is at.
var stepOf = map[claim.Status]int{
	claim.Submitted: 1, claim.UnderReview: 1, claim.InfoRequested: 1, claim.Rejected: 1, claim.Abandoned: 1,
	claim.Approved: 2, claim.Expired: 2, claim.InTransit: 3,
	claim.Received: 4, claim.Diagnosing: 4, claim.Repairing: 4, claim.Replacing: 4, claim.ReturningUnrepaired: 4,
	claim.ReadyToShip: 4, claim.Shipped: 5, claim.Delivered: 7, claim.Closed: 7,
}

// journeyOf builds the stepper and the card of a claim.
func journeyOf(v claim.View) journey {
	c := v.Claim
	j := journey{RMA: c.RMANumber, Product: c.ProductName, Order: c.OrderNumber, Center: v.Center.Name,
		Zone: v.Center.TimeZone}
	at := map[claim.Action]*time.Time{}
	for i := range v.Events {
		e := v.Events[i]
		at[e.Action] = &e.At
	}
	pos, stopped := stepOf[c.Status], c.Status.Terminal() && c.Status != claim.Closed
	if c.Status == claim.Cancelled && len(v.Events) > 0 {
		pos = stepOf[v.Events[len(v.Events)-1].From]
	}
	ledger := func(k promise.Kind) promise.Promise {
		p, _ := c.Promise(k)
		return p
	}
	inbound := carrier.Link(c.InboundCarrier, c.InboundTracking)
	back := carrier.Link(c.ReturnCarrier, c.ReturnTracking)
	for i, key := range stepKeys {
		s := journeyStep{Key: key}
		switch {
		case i < pos:
			s.State = "done"
		case i == pos && stopped:
			s.State = "stopped"
		case i == pos:
			s.State = "current"
		case stopped:
			s.State = "skipped"
		default:
			s.State = "todo"
		}
		switch key {
		case "filed":
			s.At = &c.CreatedAt
		case "decision":
			s.Promise, s.Due = ledger(promise.Answer), c.ReviewDueAt
			s.At = firstOf(at[claim.Approve], at[claim.Reject])
		case "send":
			s.Promise, s.Due = ledger(promise.ShipBy), c.ShipBy
			s.At = at[claim.MarkSent]
			s.Link, s.Carrier, s.Tracking = inbound, c.InboundCarrier, c.InboundTracking
		case "arrive":
			s.At = c.ReceivedAt
		case "repair":
			s.Promise, s.Due = ledger(promise.Return), c.ReturnDueAt
			s.At = firstOf(at[claim.Ready], c.ShippedAt)
		case "back":
			s.At = c.ShippedAt
			s.Link, s.Carrier, s.Tracking = back, c.ReturnCarrier, c.ReturnTracking
		case "delivered":
			s.At = c.DeliveredAt
		}
		j.Steps = append(j.Steps, s)
	}
	j.Todo = todoOf(c, inbound, back)
	return j
}

func firstOf(ts ...*time.Time) *time.Time {
	for _, t := range ts {
		if t != nil {
			return t
		}
	}
	return nil
}

// todoOf is the card: what the buyer does now.
func todoOf(c claim.Claim, inbound, back string) todoCard {
	switch st := c.Status; {
	case st == claim.InfoRequested:
		return todoCard{Kind: "answer", Question: c.Question}
	case st.AwaitingReview():
		return todoCard{Kind: "review", By: c.ReviewDueAt}
	case st == claim.Approved:
		return todoCard{Kind: "slip", By: c.ShipBy}
	case st == claim.InTransit:
		return todoCard{Kind: "in_transit", Link: inbound}
	case st.AtCenter():
		if p, ok := c.Promise(promise.Return); ok && p.Paused() && p.Pauses[len(p.Pauses)-1].Reason == promise.ReasonActivationLock {
			return todoCard{Kind: "activation_lock"}
		}
		return todoCard{Kind: "repairing", By: c.ReturnDueAt}
	case st == claim.Shipped:
		return todoCard{Kind: "shipped", Link: back}
	case st == claim.Delivered || st == claim.Closed:
		return todoCard{Kind: "delivered"}
	case st == claim.Rejected:
		return todoCard{Kind: "rejected", Reason: c.RejectReason}
	}
	return todoCard{Kind: "ended"}
}
