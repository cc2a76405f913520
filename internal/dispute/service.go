package dispute

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/fault"
	"rma/internal/order"
	"rma/internal/promise"
	"rma/internal/refund"
)

// Store is what the dispute service needs from storage.
type Store interface {
	Order(ctx context.Context, number string) (order.Order, error)
	// CreateDispute writes a new dispute with its first event and promise;
	// an order with an active dispute is fault.ErrDuplicate.
	CreateDispute(ctx context.Context, c Change) error
	// ApplyDispute writes a transition if the dispute is still at the
	// version read, else fault.ErrStale.
	ApplyDispute(ctx context.Context, c Change) error
	DisputeView(ctx context.Context, number string) (View, error)
	ListDisputes(ctx context.Context, f Filter) ([]Dispute, error)
	AddDisputeMessage(ctx context.Context, disputeID string, m Message) error
	// UnansweredDisputes returns the numbers of open disputes whose seller
	// promise was due before now.
	UnansweredDisputes(ctx context.Context, now time.Time, limit int) ([]string, error)
	// SellerPromiseTally counts the promises of a seller's disputes per
	// kind as they stand at now.
	SellerPromiseTally(ctx context.Context, sellerCode string, now time.Time) ([]promise.Tally, error)
	// Refunds reads the refunds ledger.
	Refunds(ctx context.Context, f refund.Filter) ([]refund.Refund, error)
	// OverdueReturns returns the numbers of returning disputes whose
	// seller's return confirmation was due before now.
	OverdueReturns(ctx context.Context, now time.Time, limit int) ([]string, error)
	// LateDecisions returns the numbers of escalated disputes whose rep's
	// decision was due before now and whose breach nobody noticed yet.
	LateDecisions(ctx context.Context, now time.Time, limit int) ([]string, error)
}

// Calendar counts working days in a country.
type Calendar interface {
	AddWorkdays(country string, loc *time.Location, start time.Time, n int) time.Time
}

// Settings are the clocks of Basic protection.
type Settings struct {
	// SellerDays is how many working days of the buyer's country the
	// seller has to answer (default 3).
	SellerDays int
	// DecisionDays is how many working days a rep has to decide an
	// escalated dispute (default 5).
	DecisionDays int
	// ReturnConfirmDays is how many days after the carrier delivered a
	// returned item the seller has to confirm it before they are assumed
	// to have received it (default 7).
	ReturnConfirmDays int
}

// Service opens disputes and moves them through their lifecycle.
type Service struct {
	store    Store
	calendar Calendar
	settings Settings
	now      func() time.Time
}

// NewService returns a dispute service; zero settings take the defaults.
func NewService(store Store, calendar Calendar, settings Settings, now func() time.Time) *Service {
	if settings.SellerDays <= 0 {
		settings.SellerDays = 3
	}
	if settings.DecisionDays <= 0 {
		settings.DecisionDays = 5
	}
	if settings.ReturnConfirmDays <= 0 {
		settings.ReturnConfirmDays = 7
	}
	return &Service{store: store, calendar: calendar, settings: settings, now: now}
}

// Errors of the service, recognised with errors.Is.
var (
	ErrNotFound = fault.New(fault.NotFound, "dispute_not_found")
	ErrOpen     = &fault.Error{Kind: fault.Conflict, Reason: "dispute_already_open",
		Fields: map[string]string{"order_number": "dispute_already_open"}}
	errOrderNotFound = fault.Field("order_number", "order_not_found")
)

// Open lets a buyer open a dispute on one of their orders.
func (s *Service) Open(ctx context.Context, actor account.Actor, req Request) (View, error) {
	if actor.Role != account.Buyer {
		return View{}, ErrForbidden
	}
	o, err := s.store.Order(ctx, strings.TrimSpace(req.OrderNumber))
	if errors.Is(err, fault.ErrNoRecord) || err == nil && o.BuyerEmail != actor.Email {
		return View{}, errOrderNotFound
	}
	if err != nil {
		return View{}, fmt.Errorf("open dispute: %w", err)
	}
	c, err := Validate(req, o)
	if err != nil {
		return View{}, err
	}
	now := s.now().UTC()
	if err := CheckWindow(o, c.Reason, now); err != nil {
		return View{}, err
	}
	d := Dispute{ID: ulid.Make().String(), Number: NewNumber(), Status: Open, OrderNumber: o.Number,
		BuyerID: actor.UserID, SellerCode: o.SellerCode, Country: o.Country, Language: actor.Language,
		Reason: c.Reason, Description: c.Description, Remedy: c.Remedy, Amount: c.Amount,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	if d.Amount.IsZero() {
		d.Amount.Currency = o.Price.Currency
	}
	p := s.sellerPromise(&d, now)
	ch := Change{Dispute: d, Promises: []promise.Promise{p},
		Events: []Event{newEvent(OpenDispute, NoDispute, Open, actor, now, "")}}
	ch.notices(now)
	if err := s.store.CreateDispute(ctx, ch); err != nil {
		if errors.Is(err, fault.ErrDuplicate) {
			return View{}, ErrOpen
		}
		return View{}, fmt.Errorf("open dispute: %w", err)
	}
	return View{Dispute: d, Events: ch.Events, Promises: ch.Promises}, nil
}

// sellerPromise makes the seller's promise to answer by the end of the n-th
// working day of the buyer's country, and records its due time.
func (s *Service) sellerPromise(d *Dispute, now time.Time) promise.Promise {
	due := s.calendar.AddWorkdays(d.Country, BuyerLocation(d.Country), now, s.settings.SellerDays)
	d.SellerDueAt = &due
	return promise.Make(ulid.Make().String(), promise.SellerResponse, now, due)
}

func newEvent(a Action, from, to Status, actor account.Actor, at time.Time, note string) Event {
	return Event{ID: ulid.Make().String(), At: at, Action: a, From: from, To: to, ActorID: actor.UserID,
		ActorRole: actor.Role, Note: note}
}

// canSee reports whether actor may know that d exists: its buyer, its
// seller, reps and admins.
func canSee(actor account.Actor, d Dispute) bool {
	switch actor.Role {
	case account.Buyer:
		return d.BuyerID == actor.UserID
	case account.Seller:
		return actor.SellerCode != "" && d.SellerCode == actor.SellerCode
	case account.Rep, account.Admin, System:
		return true
	}
	return false
}

// Get returns a dispute with its history, messages and promises; one the
// actor may not see is not found.
func (s *Service) Get(ctx context.Context, actor account.Actor, number string) (View, error) {
	v, err := s.store.DisputeView(ctx, strings.ToUpper(strings.TrimSpace(number)))
	if errors.Is(err, fault.ErrNoRecord) || err == nil && !canSee(actor, v.Dispute) {
		return View{}, ErrNotFound
	}
	if err != nil {
		return View{}, fmt.Errorf("get dispute: %w", err)
	}
	return v, nil
}

// Filter selects disputes for a list; buyers and sellers have theirs
// forced by List.
type Filter struct {
	BuyerID    string
	SellerCode string
	Status     []Status
	// After is the cursor: the id of the last dispute of the previous page.
	After string
	Limit int
	// BySellerDue orders by the seller's deadline, soonest first (the
	// seller's work list); otherwise newest first.
	BySellerDue bool
}

// List returns the disputes the actor may see that match f.
func (s *Service) List(ctx context.Context, actor account.Actor, f Filter) ([]Dispute, error) {
	switch actor.Role {
	case account.Buyer:
		f.BuyerID = actor.UserID
	case account.Seller:
		if actor.SellerCode == "" {
			return nil, nil
		}
		f.SellerCode = actor.SellerCode
	case account.Rep, account.Admin:
	default:
		return nil, nil
	}
	for _, st := range f.Status {
		if !st.Valid() {
			return nil, fault.Field("status", "status_invalid")
		}
	}
	f.Limit = max(1, min(f.Limit, 200))
	ds, err := s.store.ListDisputes(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list disputes: %w", err)
	}
	return ds, nil
}

// Post adds a message from the buyer, the seller or a rep.
func (s *Service) Post(ctx context.Context, actor account.Actor, number, body string) (Message, error) {
	if actor.Role != account.Buyer && actor.Role != account.Seller && actor.Role != account.Rep {
		return Message{}, ErrForbidden
	}
	v, err := s.Get(ctx, actor, number)
	if err != nil {
		return Message{}, err
	}
	body = strings.TrimSpace(body)
	if body == "" || len(body) > 4000 {
		return Message{}, fault.Field("body", "message_required")
	}
	m := Message{ID: ulid.Make().String(), At: s.now().UTC(), ActorID: actor.UserID, ActorRole: actor.Role, Body: body}
	if err := s.store.AddDisputeMessage(ctx, v.Dispute.ID, m); err != nil {
		return Message{}, fmt.Errorf("post dispute message: %w", err)
	}
	return m, nil
}

// Now is the service's clock, for pages that show how a deadline stands.
func (s *Service) Now() time.Time { return s.now() }
