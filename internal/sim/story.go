package sim

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/imei"
	"rma/internal/order"
	"rma/internal/promise"
)

// story is one claim's course, its dice thrown up front so that the order
// in which steps run never changes what is decided.
type story struct {
	n       int
	country string
	buyer   string
	device  string
	filed   time.Time
	rma     string
	dice    *rand.Rand
	// What will happen.
	question, neverAnswers, repLate, reject, neverSends, techLate, replace, buyerConfirms bool
}

func (r *run) seed(ctx context.Context) error {
	for _, c := range centers {
		if _, _, err := r.app.Centers.Put(ctx, c); err != nil {
			return fmt.Errorf("center %s: %w", c.Code, err)
		}
	}
	add := func(key string, u account.NewUser) error {
		u.Password = "sim-pass-2026"
		created, err := r.app.Accounts.Create(ctx, u)
		if err != nil {
			return fmt.Errorf("user %s: %w", u.Email, err)
		}
		r.users[key] = created
		return nil
	}
	if err := add("admin", account.NewUser{Email: "admin@sim.example.com", Role: account.Admin, Language: "en", Name: "Admin"}); err != nil {
		return err
	}
	if err := add("rep", account.NewUser{Email: "rep@sim.example.com", Role: account.Rep, Language: "es", Name: "Rep"}); err != nil {
		return err
	}
	for _, c := range centers {
		if err := add("tech."+c.Code, account.NewUser{Email: "tech." + c.Code + "@sim.example.com", Role: account.Technician,
			CenterCode: c.Code, Language: "en", Name: "Tech " + c.Code}); err != nil {
			return err
		}
		for i := range buyersPerCountry {
			key := fmt.Sprintf("buyer.%s.%d", c.Country, i)
			if err := add(key, account.NewUser{Email: key + "@sim.example.com", Role: account.Buyer,
				Language: buyerLanguages[i%len(buyerLanguages)], Name: "Buyer " + key}); err != nil {
				return err
			}
		}
	}
	return r.seedSellers(ctx)
}

// plan throws every claim's dice and schedules the filings.
func (r *run) plan() {
	span := time.Duration(r.opt.Days) * 24 * time.Hour
	for i := range r.opt.Claims {
		d := rand.New(rand.NewPCG(r.opt.Seed, uint64(i)))
		c := centers[i%len(centers)]
		s := &story{n: i, country: c.Country, dice: d,
			buyer:  fmt.Sprintf("buyer.%s.%d", c.Country, d.IntN(buyersPerCountry)),
			device: imei.WithCheckDigit(fmt.Sprintf("35%012d", 500000+i)),
			filed:  r.opt.Start.Add(time.Duration(d.Int64N(int64(span)))).Truncate(time.Second),
		}
		s.question = d.Float64() < 0.15
		s.neverAnswers = d.Float64() < 0.2
		s.repLate = d.Float64() < 0.15
		s.reject = d.Float64() < 0.1
		s.neverSends = d.Float64() < 0.1
		s.techLate = d.Float64() < 0.15
		s.replace = d.Float64() < 0.3
		s.buyerConfirms = d.Float64() < 0.6
		r.claims = append(r.claims, s)
		r.at(s.filed, s, "file", r.file)
	}
}

// at schedules a step of the claim's story.
func (r *run) at(t time.Time, s *story, who string, fn func(ctx context.Context, s *story) error) {
	r.push(t, who, func(ctx context.Context) error { return fn(ctx, s) })
}

// push queues a step at t (to the second), after every step queued
// before it for the same instant.
func (r *run) push(t time.Time, who string, do func(ctx context.Context) error) {
	r.seq++
	heap.Push(&r.steps, step{at: t.Truncate(time.Second), seq: r.seq, who: who, do: do})
}

// between returns an instant in [from, to) (from when the span is empty).
func between(d *rand.Rand, from, to time.Time) time.Time {
	if !to.After(from) {
		return from
	}
	return from.Add(time.Duration(d.Int64N(int64(to.Sub(from)))))
}

func hours(h int) time.Duration { return time.Duration(h) * time.Hour }

func (r *run) actor(key string) account.Actor { return r.users[key].Actor() }

func (r *run) file(ctx context.Context, s *story) error {
	now := r.clock.Now()
	done := now.AddDate(0, -3, 0)
	o := order.Order{Number: fmt.Sprintf("SIM-%06d", s.n), BuyerEmail: r.users[s.buyer].Email, BuyerName: "Buyer",
		ShippingAddress: []string{"Street 1", "City"}, CompletedAt: &done, Country: s.country, Category: "phone",
		ProductName: "Phone", IMEI: s.device, Coverages: []coverage.Kind{coverage.ExtendedWarranty}}
	if _, _, err := r.app.Orders.Put(ctx, o); err != nil {
		return err
	}
	v, err := r.app.Claims.Submit(ctx, r.actor(s.buyer), claim.Request{OrderNumber: o.Number,
		Coverage: coverage.ExtendedWarranty, IMEI: s.device, Description: "The phone does not charge any more."})
	if err != nil {
		return err
	}
	s.rma = v.Claim.RMANumber
	r.rep.Story["filed"]++
	if s.question {
		r.at(between(s.dice, now.Add(time.Hour), now.Add(hours(20))), s, "rep asks", r.ask)
		return nil
	}
	r.planDecision(s, v)
	return nil
}

// planDecision schedules the rep's answer: before the answer promise's due
// time, or (a late rep) hours to days after it.
func (r *run) planDecision(s *story, v claim.View) {
	now := r.clock.Now()
	p, ok := v.Claim.Promise(promise.Answer)
	due := now.Add(hours(48))
	if ok {
		due = p.DueAt
	}
	at := between(s.dice, now.Add(30*time.Minute), due.Add(-30*time.Minute))
	if s.repLate {
		at = between(s.dice, due.Add(2*time.Hour), due.Add(hours(48)))
		r.rep.Story["rep late"]++
	}
	r.at(at, s, "rep decides", r.decide)
}

func (r *run) ask(ctx context.Context, s *story) error {
	if _, err := r.app.Claims.RequestInfo(ctx, r.actor("rep"), s.rma, "Could you send a photo of the charging port?"); err != nil {
		return err
	}
	r.rep.Story["questions"]++
	if s.neverAnswers {
		r.rep.Story["never answered"]++
		return nil
	}
	now := r.clock.Now()
	r.at(between(s.dice, now.Add(2*time.Hour), now.Add(hours(72))), s, "buyer answers", r.answer)
	return nil
}

func (r *run) answer(ctx context.Context, s *story) error {
	v, err := r.app.Claims.Answer(ctx, r.actor(s.buyer), s.rma, "Here it is: the port is clean.")
	if err != nil {
		return err
	}
	r.planDecision(s, v)
	return nil
}

func (r *run) decide(ctx context.Context, s *story) error {
	if s.reject {
		_, err := r.app.Claims.Reject(ctx, r.actor("rep"), s.rma, claim.RejectReasons[0], "Not covered.")
		r.rep.Story["rejected"]++
		return err
	}
	if _, err := r.app.Claims.Approve(ctx, r.actor("rep"), s.rma, "Covered."); err != nil {
		return err
	}
	r.rep.Story["approved"]++
	if s.neverSends {
		r.rep.Story["never sent"]++
		return nil
	}
	now := r.clock.Now()
	r.at(between(s.dice, now.Add(time.Hour), now.Add(hours(240))), s, "buyer sends", r.send)
	return nil
}

func (r *run) send(ctx context.Context, s *story) error {
	if _, err := r.app.Claims.MarkSent(ctx, r.actor(s.buyer), s.rma, "DHL", fmt.Sprintf("JD%012d", s.n)); err != nil {
		return err
	}
	now := r.clock.Now()
	r.at(between(s.dice, now.Add(hours(24)), now.Add(hours(96))), s, "technician receives", r.receive)
	return nil
}

func (r *run) tech(s *story) account.Actor {
	for _, c := range centers {
		if c.Country == s.country {
			return r.actor("tech." + c.Code)
		}
	}
	return account.Actor{}
}

func (r *run) receive(ctx context.Context, s *story) error {
	v, _, err := r.app.Claims.Receive(ctx, r.tech(s), s.rma, s.device)
	if err != nil {
		return err
	}
	r.rep.Story["received"]++
	now := r.clock.Now()
	p, ok := v.Claim.Promise(promise.Return)
	due := now.Add(hours(24 * 15))
	if ok {
		due = p.DueAt
	}
	ship := between(s.dice, now.Add(hours(24)), due.Add(-2*time.Hour))
	if s.techLate {
		ship = between(s.dice, due.Add(2*time.Hour), due.Add(hours(72)))
		r.rep.Story["technician late"]++
	}
	span := ship.Sub(now)
	r.at(now.Add(span/5), s, "technician diagnoses", r.diagnose)
	r.at(now.Add(2*span/5), s, "technician decides", r.repair)
	r.at(now.Add(4*span/5), s, "technician readies", r.ready)
	r.at(ship, s, "technician ships", r.shipBack)
	return nil
}

func (r *run) diagnose(ctx context.Context, s *story) error {
	_, err := r.app.Claims.StartDiagnosis(ctx, r.tech(s), s.rma)
	return err
}

func (r *run) repair(ctx context.Context, s *story) error {
	d := claim.Diagnosis{Findings: "Charging port worn out.", Decision: claim.DecisionRepair}
	if s.replace {
		d = claim.Diagnosis{Findings: "Board damaged beyond repair.", Decision: claim.DecisionReplace,
			ReplacementIMEI: imei.WithCheckDigit(fmt.Sprintf("35%012d", 900000+s.n))}
		r.rep.Story["replaced"]++
	} else {
		r.rep.Story["repaired"]++
	}
	_, err := r.app.Claims.Decide(ctx, r.tech(s), s.rma, d)
	return err
}

func (r *run) ready(ctx context.Context, s *story) error {
	_, err := r.app.Claims.MarkReady(ctx, r.tech(s), s.rma, "Passed the checks.")
	return err
}

func (r *run) shipBack(ctx context.Context, s *story) error {
	if _, err := r.app.Claims.ShipBack(ctx, r.tech(s), s.rma, "DHL", fmt.Sprintf("JR%012d", s.n)); err != nil {
		return err
	}
	r.rep.Story["shipped back"]++
	if s.buyerConfirms {
		now := r.clock.Now()
		r.at(between(s.dice, now.Add(hours(24)), now.Add(hours(72))), s, "buyer confirms", r.deliver)
	}
	return nil
}

func (r *run) deliver(ctx context.Context, s *story) error {
	_, err := r.app.Claims.Deliver(ctx, r.actor(s.buyer), s.rma)
	return err
}
