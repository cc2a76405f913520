package claim_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/order"
	"rma/internal/sla"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// start is the service's clock at the beginning of every test: a Friday
// morning in Berlin.
var start = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// completed is when the fixture's orders were completed, with microseconds
// so that term boundaries are tested to the microsecond.
var completed = time.Date(2026, 3, 2, 10, 30, 0, 123456000, time.UTC)

const (
	deviceIMEI = "490154203237518" // on ORD-DE
	otherIMEI  = "356938035643809" // a valid IMEI on no order
	maltaIMEI  = "352098112345671"
)

// clock is the settable clock the service runs on.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// env is a claim service on a real, migrated database with two centers, a
// buyer in Germany with an order carrying both coverages, a buyer in Malta
// (where the extended warranty is not sold), a rep and a technician of each
// center.
type env struct {
	st                   *store.Store
	svc                  *claim.Service
	clock                *clock
	buyer, maltese, rep  account.Actor
	techBER, techMAD     account.Actor
	stranger             account.Actor // a buyer with no orders
	ctx                  context.Context
	dialect              store.Dialect
	warrantyTerm, adTerm coverage.Term
}

// each runs fn on a fresh environment of every test dialect.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, st *store.Store) { fn(t, newEnv(t, st)) })
}

func newEnv(t *testing.T, st *store.Store) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{st: st, clock: &clock{t: start}, ctx: ctx, dialect: st.Dialect()}
	policy := coverage.NewPolicy(coverage.Settings{ExcludedWarrantyCountries: []string{"MT"}, AccidentalDamageLimit: 2})
	e.warrantyTerm, _ = policy.Term(coverage.ExtendedWarranty)
	e.adTerm, _ = policy.Term(coverage.AccidentalDamage)
	e.svc = claim.NewService(st, policy, sla.NewCalendars(),
		claim.Settings{ReviewDays: 5, ShipByDays: 30, ReturnDays: 15}, e.clock.Now)
	must(t, putCenter(ctx, st, center.Center{Code: "BER", Name: "Berlin", Country: "DE", TimeZone: "Europe/Berlin",
		Address: []string{"Werkstr. 1", "10115 Berlin"}, Serves: []string{"DE", "MT"}}))
	must(t, putCenter(ctx, st, center.Center{Code: "MAD", Name: "Madrid", Country: "ES", TimeZone: "Europe/Madrid",
		Address: []string{"Calle 1", "28001 Madrid"}, Serves: []string{"ES"}}))
	e.buyer = user(t, st, "buyer@example.com", account.Buyer, "")
	e.maltese = user(t, st, "malta@example.com", account.Buyer, "")
	e.stranger = user(t, st, "stranger@example.com", account.Buyer, "")
	e.rep = user(t, st, "rep@example.com", account.Rep, "")
	e.techBER = user(t, st, "tech.ber@example.com", account.Technician, "BER")
	e.techMAD = user(t, st, "tech.mad@example.com", account.Technician, "MAD")
	both := []coverage.Kind{coverage.ExtendedWarranty, coverage.AccidentalDamage}
	putOrder(t, st, order.Order{Number: "ORD-DE", BuyerEmail: e.buyer.Email, Country: "DE", IMEI: deviceIMEI,
		Category: order.CategoryPhone, Coverages: both, CompletedAt: &completed})
	putOrder(t, st, order.Order{Number: "ORD-MT", BuyerEmail: e.maltese.Email, Country: "MT", IMEI: maltaIMEI,
		Category: order.CategoryPhone, Coverages: both, CompletedAt: &completed})
	return e
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func putCenter(ctx context.Context, st *store.Store, c center.Center) error {
	_, err := st.PutCenter(ctx, c, start)
	return err
}

func user(t *testing.T, st *store.Store, email string, role account.Role, ctr string) account.Actor {
	t.Helper()
	u := account.User{ID: ulid.Make().String(), Email: email, Name: email, PasswordHash: "x", Role: role,
		Language: "en", CenterCode: ctr, Status: account.Active, CreatedAt: start}
	must(t, st.CreateUser(context.Background(), u))
	return u.Actor()
}

func putOrder(t *testing.T, st *store.Store, o order.Order) {
	t.Helper()
	o.BuyerName, o.ShippingAddress, o.ProductName = "Buyer", []string{"Street 1", "City"}, "Phone"
	_, err := st.PutOrder(context.Background(), o, start)
	must(t, err)
}

// warranty is a valid extended-warranty request for ORD-DE.
func warranty() claim.Request {
	return claim.Request{OrderNumber: "ORD-DE", Coverage: coverage.ExtendedWarranty, IMEI: deviceIMEI,
		Description: "The phone restarts on its own every few minutes."}
}

// submit files the warranty claim and fails the test when it is refused.
func (e *env) submit(t *testing.T) claim.Claim {
	t.Helper()
	v, err := e.svc.Submit(e.ctx, e.buyer, warranty())
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return v.Claim
}

// at moves a fresh claim along the happy path until it is in the status.
func (e *env) at(t *testing.T, want claim.Status) claim.Claim {
	t.Helper()
	c := e.submit(t)
	steps := []struct {
		reach claim.Status
		do    func() (claim.View, error)
	}{
		{claim.UnderReview, func() (claim.View, error) { return e.svc.Pick(e.ctx, e.rep, c.RMANumber) }},
		{claim.Approved, func() (claim.View, error) { return e.svc.Approve(e.ctx, e.rep, c.RMANumber, "ok") }},
		{claim.InTransit, func() (claim.View, error) {
			return e.svc.MarkSent(e.ctx, e.buyer, c.RMANumber, "DHL", "JD0001")
		}},
		{claim.Received, func() (claim.View, error) {
			v, _, err := e.svc.Receive(e.ctx, e.techBER, c.RMANumber, "")
			return v, err
		}},
		{claim.Diagnosing, func() (claim.View, error) { return e.svc.StartDiagnosis(e.ctx, e.techBER, c.RMANumber) }},
		{claim.Repairing, func() (claim.View, error) {
			return e.svc.Decide(e.ctx, e.techBER, c.RMANumber, claim.Diagnosis{Findings: "Bad battery", Decision: "repair"})
		}},
		{claim.ReadyToShip, func() (claim.View, error) { return e.svc.MarkReady(e.ctx, e.techBER, c.RMANumber, "") }},
		{claim.Shipped, func() (claim.View, error) {
			return e.svc.ShipBack(e.ctx, e.techBER, c.RMANumber, "DHL", "JD0002")
		}},
		{claim.Delivered, func() (claim.View, error) { return e.svc.Deliver(e.ctx, e.buyer, c.RMANumber) }},
	}
	for _, s := range steps {
		if c.Status == want {
			return c
		}
		v, err := s.do()
		if err != nil {
			t.Fatalf("towards %s, to %s: %v", want, s.reach, err)
		}
		if v.Claim.Status != s.reach {
			t.Fatalf("towards %s: %s, want %s", want, v.Claim.Status, s.reach)
		}
		c = v.Claim
	}
	if c.Status != want {
		t.Fatalf("the happy path does not reach %s", want)
	}
	return c
}

// reload reads a claim with its timeline as the store has it.
func (e *env) reload(t *testing.T, rma string) claim.View {
	t.Helper()
	v, err := e.st.ClaimView(e.ctx, rma)
	if err != nil {
		t.Fatalf("reload %s: %v", rma, err)
	}
	return v
}

// rows counts the rows of a table that belong to a claim.
func (e *env) rows(t *testing.T, table, claimID string) int64 {
	t.Helper()
	var n int64
	col := "claim_id"
	if table == "claims" {
		col = "id"
	}
	if err := e.st.DB().Table(table).Where(col+" = ?", claimID).Count(&n).Error; err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// jobKinds lists the kinds of a claim's jobs in the outbox.
func (e *env) jobKinds(t *testing.T, claimID string) map[claim.JobKind]int {
	t.Helper()
	var kinds []string
	if err := e.st.DB().Table("jobs").Where("claim_id = ?", claimID).Pluck("kind", &kinds).Error; err != nil {
		t.Fatal(err)
	}
	out := map[claim.JobKind]int{}
	for _, k := range kinds {
		out[claim.JobKind(k)]++
	}
	return out
}

// refused asserts that err is a fault of the kind, with the reason and,
// when field is not empty, that reason on the field.
func refused(t *testing.T, err error, kind fault.Kind, reason, field string) {
	t.Helper()
	fe, ok := fault.As(err)
	if !ok {
		t.Fatalf("got %v, want %s %s", err, kind, reason)
	}
	if fe.Kind != kind {
		t.Errorf("kind %s, want %s (%v)", fe.Kind, kind, err)
	}
	if field == "" && fe.Reason != reason {
		t.Errorf("reason %q, want %q (%v)", fe.Reason, reason, err)
	}
	if field != "" && fe.Fields[field] != reason {
		t.Errorf("field %s: %q, want %q (%v)", field, fe.Fields[field], reason, err)
	}
}

// isNotFound tells whether err is the claim's not-found answer.
func isNotFound(err error) bool {
	return errors.Is(err, claim.ErrNotFound) || fault.Is(err, fault.NotFound)
}
