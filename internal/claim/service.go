package claim

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/order"
	"rma/internal/sla"
)

// Store is what the claim service needs from storage. Reads of a missing
// row return fault.ErrNoRecord; Update returns fault.ErrStale when the claim
// changed since it was read; Create returns fault.ErrDuplicate when the
// device already has an open claim.
type Store interface {
	Order(ctx context.Context, number string) (order.Order, error)
	CenterForCountry(ctx context.Context, country string) (center.Center, error)
	Center(ctx context.Context, code string) (center.Center, error)
	UserStatus(ctx context.Context, userID string) (account.Status, error)
	CountClaims(ctx context.Context, orderNumber string, kind coverage.Kind) (int, error)
	// HasOpenClaim reports whether an open claim holds the key (OpenKey).
	HasOpenClaim(ctx context.Context, key string) (bool, error)
	// CreateClaim writes a new claim with its event and jobs; in the same
	// write it flags the device's other open claims and the new one as a
	// conflict (ConflictEvents), seeing every claim committed before it.
	CreateClaim(ctx context.Context, c Claim, ev Event, jobs []Job) error
	ClaimByRMA(ctx context.Context, rma string) (Claim, error)
	// ClaimWithPromises reads a claim with its promises, before a change.
	ClaimWithPromises(ctx context.Context, rma string) (Claim, error)
	ClaimView(ctx context.Context, rma string) (View, error)
	UpdateClaim(ctx context.Context, c Claim, prevVersion int, ev Event, jobs []Job) error
	ListClaims(ctx context.Context, f Filter) ([]Claim, error)
}

// Settings are the service's knobs.
type Settings struct {
	ReviewDays int // working days to answer a claim (5)
	ShipByDays int // calendar days to send the device after approval (30)
	ReturnDays int // calendar days from receipt to the return shipment (15)
	// InfoReminderDays are the days after a question on which the buyer is
	// reminded of it (3 and 7); AbandonDays ends the claim (14).
	InfoReminderDays []int
	AbandonDays      int
	// ActivationLockCapDays is how many calendar days the return promise
	// waits for the buyer to remove the device's activation lock before the
	// claim is escalated (DefaultActivationLockCapDays).
	ActivationLockCapDays int
}

// DefaultActivationLockCapDays is the activation lock's cap: two weeks give
// a buyer time to find their account's password or ask the maker for help.
const DefaultActivationLockCapDays = 14

// DefaultInfoReminderDays and DefaultAbandonDays are the waiting-on-buyer
// clock of DESIGN.md §1.
var DefaultInfoReminderDays = []int{3, 7}

// DefaultAbandonDays is how long a question waits for its answer.
const DefaultAbandonDays = 14

// Service files claims and moves them through their lifecycle.
type Service struct {
	store    Store
	policy   coverage.Policy
	cals     *sla.Calendars
	settings Settings
	now      func() time.Time
}

// NewService returns a claim service.
func NewService(store Store, policy coverage.Policy, cals *sla.Calendars, s Settings, now func() time.Time) *Service {
	if s.InfoReminderDays == nil {
		s.InfoReminderDays = DefaultInfoReminderDays
	}
	if s.AbandonDays == 0 {
		s.AbandonDays = DefaultAbandonDays
	}
	if s.ActivationLockCapDays == 0 {
		s.ActivationLockCapDays = DefaultActivationLockCapDays
	}
	return &Service{store: store, policy: policy, cals: cals, settings: s, now: now}
}

// Now is the service's clock, in UTC to the microsecond (what both
// databases keep).
func (s *Service) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Eligibility is one coverage's answer for an order.
type Eligibility struct {
	Coverage coverage.Kind
	Eligible bool
	Reason   string
	EndsAt   *time.Time
}

// OrderCheck is what can be claimed under an order: its product, how the
// device is named (IMEI for a phone, serial number otherwise) and each
// coverage's answer.
type OrderCheck struct {
	ProductName string
	// DeviceField is the request field that names the device: "imei" or
	// "serial_number".
	DeviceField string
	Coverages   []Eligibility
}

// CheckOrder tells, for every coverage, whether the order can be claimed
// under it. Buyers see their own orders only; staff see every order.
func (s *Service) CheckOrder(ctx context.Context, actor account.Actor, number string) (OrderCheck, error) {
	base, _, err := s.orderStanding(ctx, actor, number)
	if err != nil {
		return OrderCheck{}, err
	}
	if base.Order == nil {
		return OrderCheck{}, fault.New(fault.NotFound, "order_not_found")
	}
	out := OrderCheck{ProductName: base.Order.ProductName, DeviceField: "imei"}
	if !base.Order.IsPhone() {
		out.DeviceField = "serial_number"
	}
	for _, kind := range coverage.Kinds {
		st, err := s.forCoverage(ctx, base, kind)
		if err != nil {
			return OrderCheck{}, err
		}
		reason, _, ends := CoverageReason(st)
		out.Coverages = append(out.Coverages, Eligibility{Coverage: kind, Eligible: reason == "", Reason: reason, EndsAt: ends})
	}
	return out, nil
}

// orderStanding gathers what the eligibility rules need to know of the
// order, whatever the coverage: the order (nil when missing or not the
// buyer's), the buyer's standing and the center serving the order's
// country (nil when none does). Staff checking an order see its buyer as
// active.
func (s *Service) orderStanding(ctx context.Context, actor account.Actor, number string) (Standing, *center.Center, error) {
	st := Standing{Now: s.Now(), BuyerStatus: account.Active}
	if !order.ValidNumber(number) {
		return st, nil, nil
	}
	o, err := s.store.Order(ctx, number)
	if errors.Is(err, fault.ErrNoRecord) {
		return st, nil, nil
	}
	if err != nil {
		return st, nil, fmt.Errorf("load order: %w", err)
	}
	if actor.Role == account.Buyer {
		if o.BuyerEmail != actor.Email {
			return st, nil, nil
		}
		if st.BuyerStatus, err = s.store.UserStatus(ctx, actor.UserID); err != nil {
			return st, nil, fmt.Errorf("load buyer: %w", err)
		}
	}
	st.Order = &o
	ctr, err := s.store.CenterForCountry(ctx, o.Country)
	if errors.Is(err, fault.ErrNoRecord) {
		return st, nil, nil
	}
	if err != nil {
		return st, nil, fmt.Errorf("route order: %w", err)
	}
	st.Served = true
	return st, &ctr, nil
}

// forCoverage completes an order's standing for one coverage.
func (s *Service) forCoverage(ctx context.Context, st Standing, kind coverage.Kind) (Standing, error) {
	st.Kind = kind
	st.Term, _ = s.policy.Term(kind)
	if st.Order == nil {
		return st, nil
	}
	var err error
	if st.ClaimsUsed, err = s.store.CountClaims(ctx, st.Order.Number, kind); err != nil {
		return st, fmt.Errorf("count claims: %w", err)
	}
	return st, nil
}

// Submit files a buyer's claim after checking every eligibility rule, routes
// it to the center serving the order's country and starts the review clock.
func (s *Service) Submit(ctx context.Context, actor account.Actor, r Request) (View, error) {
	if _, err := Next(Submit, NoClaim, actor.Role); err != nil {
		return View{}, err
	}
	r = r.normalize()
	base, ctr, err := s.orderStanding(ctx, actor, r.OrderNumber)
	if err != nil {
		return View{}, fmt.Errorf("submit claim: %w", err)
	}
	st, err := s.forCoverage(ctx, base, r.Coverage)
	if err != nil {
		return View{}, fmt.Errorf("submit claim: %w", err)
	}
	if err := CheckRequest(r, st); err != nil {
		return View{}, err
	}
	if st.Order.IsPhone() {
		r.SerialNumber = "" // a phone is claimed by its IMEI
	} else {
		r.IMEI = ""
	}
	check := deviceCheckOf(st.Order, r)
	key := Claim{DeviceCheck: check, OrderNumber: st.Order.Number, IMEI: r.IMEI, SerialNumber: r.SerialNumber}.OpenKey()
	open, err := s.store.HasOpenClaim(ctx, key)
	if err != nil {
		return View{}, fmt.Errorf("submit claim: %w", err)
	}
	if open {
		return View{}, openClaimError(st.Order)
	}
	now := s.Now()
	due := s.cals.AddWorkdays(ctr.Country, ctr.Location(), now, s.settings.ReviewDays)
	c := Claim{
		ID: ulid.Make().String(), RMANumber: NewRMANumber(), Status: Submitted, Coverage: r.Coverage,
		OrderNumber: st.Order.Number, BuyerID: actor.UserID, BuyerEmail: actor.Email, Language: actor.Language,
		IMEI: r.IMEI, SerialNumber: r.SerialNumber, DeviceCheck: check, ProductName: st.Order.ProductName, Description: r.Description, IncidentDate: r.IncidentDate, CenterCode: ctr.Code,
		CreatedAt: now, UpdatedAt: now, ReviewDueAt: &due, Version: 1,
	}
	c.keepLedger(Submit, now)
	ev := Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: Submit, To: Submitted,
		ActorID: actor.UserID, ActorRole: actor.Role}
	target := s.cals.AddWorkdays(ctr.Country, ctr.Location(), now, min(ReviewTargetDays, s.settings.ReviewDays))
	for attempt := 0; ; attempt++ {
		err := s.store.CreateClaim(ctx, c, ev, jobsFor(c, ev, target, s.settings))
		if err == nil {
			// Read back: the write may have flagged a device conflict.
			if v, err := s.store.ClaimView(ctx, c.RMANumber); err == nil {
				return v.ForBuyer(), nil
			}
			return View{Claim: c, Events: []Event{ev}, Center: *ctr}, nil
		}
		if !errors.Is(err, fault.ErrDuplicate) {
			return View{}, fmt.Errorf("submit claim: %w", err)
		}
		// Either another request won the race for this device, or (about
		// once in billions) the random RMA number was taken: draw again.
		open, oerr := s.store.HasOpenClaim(ctx, key)
		if oerr != nil {
			return View{}, fmt.Errorf("submit claim: %w", oerr)
		}
		if open || attempt == 2 {
			return View{}, openClaimError(st.Order)
		}
		c.RMANumber = NewRMANumber()
	}
}

// CanSee reports whether actor may know that c exists (a claim they may not
// see is not found to them).
func CanSee(actor account.Actor, c Claim) bool { return canSee(actor, c) }

// canSee reports whether actor may know that c exists.
func canSee(actor account.Actor, c Claim) bool {
	switch actor.Role {
	case account.Buyer:
		return c.BuyerID == actor.UserID
	case account.Technician:
		return actor.CenterCode != "" && c.CenterCode == actor.CenterCode
	case account.Rep, account.Admin, System:
		return true
	}
	return false
}

// Get returns a claim with its timeline; a claim the actor may not see is
// not found.
func (s *Service) Get(ctx context.Context, actor account.Actor, rma string) (View, error) {
	rma, ok := NormalizeRMANumber(rma)
	if !ok {
		return View{}, ErrNotFound
	}
	v, err := s.store.ClaimView(ctx, rma)
	if errors.Is(err, fault.ErrNoRecord) || err == nil && !canSee(actor, v.Claim) {
		return View{}, ErrNotFound
	}
	if err != nil {
		return View{}, fmt.Errorf("get claim: %w", err)
	}
	if actor.Role == account.Buyer {
		v = v.ForBuyer()
	}
	return v, nil
}

// Track returns a claim to anyone who knows its RMA number and its buyer's
// e-mail; anything else is not found.
func (s *Service) Track(ctx context.Context, rma, email string) (View, error) {
	rma, ok := NormalizeRMANumber(rma)
	email, _ = account.NormalizeEmail(email)
	// One read whatever the input, so that a known RMA number with a wrong
	// e-mail answers as fast as an unknown one; the timeline is read only
	// for the claim's own buyer.
	c, err := s.store.ClaimByRMA(ctx, rma)
	if errors.Is(err, fault.ErrNoRecord) || err == nil &&
		(!ok || email == "" || subtle.ConstantTimeCompare([]byte(c.BuyerEmail), []byte(email)) != 1) {
		return View{}, ErrNotFound
	}
	if err != nil {
		return View{}, fmt.Errorf("track claim: %w", err)
	}
	v, err := s.store.ClaimView(ctx, rma)
	if err != nil {
		return View{}, fmt.Errorf("track claim: %w", err)
	}
	return v.ForBuyer(), nil
}

// Filter selects claims for a list. Buyers and technicians have theirs
// forced by List.
type Filter struct {
	BuyerID  string
	Center   string
	Status   []Status
	Coverage coverage.Kind
	Overdue  bool
	Now      time.Time
	// After is the cursor: the id of the last claim of the previous page;
	// in a deadline order (see Order) AfterAt is that claim's deadline (or
	// filing time), nil when it had none.
	After   string
	AfterAt *time.Time
	Limit   int
	// Country of the order; Query matches an RMA number, IMEI, e-mail or
	// order number exactly; Device selects one device's claims by its IMEI
	// or serial number.
	Country, Query, Device string
	// Order: "" newest first, "review_due" soonest review deadline first,
	// "return_due" soonest return date first, "created" oldest first, "due"
	// the soonest deadline of the clock each claim's status runs first (the
	// review deadline, the ship-by date or the return date).
	Order string
}

// List returns the claims the actor may see that match f, newest first.
func (s *Service) List(ctx context.Context, actor account.Actor, f Filter) ([]Claim, error) {
	switch actor.Role {
	case account.Buyer:
		f.BuyerID = actor.UserID
	case account.Technician:
		f.Center = actor.CenterCode
	case account.Rep, account.Admin, System:
	default:
		// Sellers (and any role added later) see no claims: claims are the
		// warranty's business, not the marketplace seller's.
		return nil, nil
	}
	for _, st := range f.Status {
		if !st.Valid() {
			return nil, fault.Field("status", "status_invalid")
		}
	}
	if f.Coverage != "" && !f.Coverage.Valid() {
		return nil, fault.Field("coverage", "coverage_invalid")
	}
	f.Now = s.Now()
	f.Limit = max(1, min(f.Limit, 200))
	claims, err := s.store.ListClaims(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list claims: %w", err)
	}
	return claims, nil
}

// mayEver reports whether the role appears in the action's rule at all: a
// role that may never act answers forbidden before any claim is looked up,
// so that the answer says nothing about the claim.
func mayEver(action Action, role account.Role) bool {
	return slices.Contains(transitions[action].Roles, role)
}

// CoverageEnds returns when a coverage of an order completed at completed
// ends.
func (s *Service) CoverageEnds(kind coverage.Kind, completed time.Time) (time.Time, bool) {
	t, ok := s.policy.Term(kind)
	if !ok {
		return time.Time{}, false
	}
	return t.Ends(completed), true
}
