package sim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"rma/internal/account"
	"rma/internal/dispute"
	"rma/internal/money"
	"rma/internal/order"
	"rma/internal/promise"
	"rma/internal/seller"
)

// Basic protection in the simulation: every order has it, so a share of
// the month's orders end in a dispute with their seller, and some orders
// arrive late or never. The promises are the seller's answer (3 working
// days of the buyer's country, escalated by the sweep when broken), the
// rep's decision on an escalated dispute (5 working days, told to staff
// and the buyer when broken), the seller's confirmation of a returned item
// (7 days, confirmed and refunded by the sweep when broken), the refund
// itself and the on-time delivery guarantee's compensation.

// delivery is how an order reaches its buyer.
type delivery int

const (
	onTime delivery = iota
	deliveredLate
	neverDelivered
)

// sellerMove is the seller's answer to an open dispute.
type sellerMove int

const (
	sellerAccepts sellerMove = iota
	sellerOffers
	sellerRefuses
)

// disputeStory is one order's course under Basic protection, its dice
// thrown up front.
type disputeStory struct {
	n       int
	country string
	buyer   string
	seller  string
	order   string
	price   money.Money
	bought  time.Time
	// promised is the delivery date the seller promised.
	promised time.Time
	number   string
	dice     *rand.Rand
	// What will happen.
	delivery     delivery
	reason       dispute.Reason
	remedy       dispute.Remedy
	move         sellerMove
	sellerSilent bool // never answers: the sweep escalates
	sellerLate   bool // answers after the sweep escalated: refused
	buyerTakes   bool // takes the seller's offer
	buyerGivesUp bool // withdraws after a refusal
	repLate      bool
	repRefunds   bool
	confirms     bool // the seller confirms the returned item
}

// sellerCode is the code of the seller of a country's orders.
func sellerCode(country string) string { return "SIM-" + country }

// seedSellers registers one seller per country, each with an account.
func (r *run) seedSellers(ctx context.Context) error {
	for _, c := range centers {
		code := sellerCode(c.Country)
		if _, _, err := r.app.Sellers.Put(ctx, seller.Seller{Code: code, Name: "Seller " + c.Country,
			Email: "orders." + c.Country + "@sim.example.com", Language: "en",
			ReturnAddress: []string{"Returns " + c.Country, c.Address[0], c.Address[1]}}); err != nil {
			return fmt.Errorf("seller %s: %w", code, err)
		}
		u, err := r.app.Accounts.Create(ctx, account.NewUser{Email: "seller." + c.Country + "@sim.example.com",
			Password: "sim-pass-2026", Role: account.Seller, SellerCode: code, Language: "en", Name: "Seller " + c.Country})
		if err != nil {
			return fmt.Errorf("seller account %s: %w", code, err)
		}
		r.users["seller."+c.Country] = u
	}
	return nil
}

// planDisputes throws every disputed order's dice and schedules the orders.
// The dice come from their own stream, so adding disputes never changes
// the claims' story.
func (r *run) planDisputes() {
	span := time.Duration(r.opt.Days) * 24 * time.Hour
	for i := range r.opt.Disputes {
		d := rand.New(rand.NewPCG(r.opt.Seed, 1<<32|uint64(i)))
		c := centers[i%len(centers)]
		s := &disputeStory{n: i, country: c.Country, dice: d, seller: "seller." + c.Country,
			buyer:  fmt.Sprintf("buyer.%s.%d", c.Country, d.IntN(buyersPerCountry)),
			order:  fmt.Sprintf("SIM-B%06d", i),
			price:  money.Money{Minor: 2000 + d.Int64N(60000), Currency: "EUR"},
			bought: r.opt.Start.Add(time.Duration(d.Int64N(int64(span)))).Truncate(time.Second),
		}
		s.promised = s.bought.Add(hours(72 + d.IntN(72)))
		switch x := d.Float64(); {
		case x < 0.15:
			s.delivery = neverDelivered
		case x < 0.30:
			s.delivery = deliveredLate
		}
		s.reason = []dispute.Reason{dispute.NotAsDescribed, dispute.Damaged, dispute.WrongItem}[d.IntN(3)]
		switch x := d.Float64(); {
		case s.delivery == neverDelivered:
			s.reason, s.remedy = dispute.NotReceived, dispute.FullRefund
		case x < 0.3:
			s.remedy = dispute.FullRefund
		case x < 0.6:
			s.remedy = dispute.PartialRefund
		default:
			s.remedy = dispute.ReturnAndRefund
		}
		s.move = sellerMove(d.IntN(3))
		s.sellerSilent = d.Float64() < 0.2
		s.sellerLate = d.Float64() < 0.1
		s.buyerTakes = d.Float64() < 0.6
		s.buyerGivesUp = d.Float64() < 0.2
		s.repLate = d.Float64() < 0.2
		s.repRefunds = d.Float64() < 0.7
		s.confirms = d.Float64() < 0.7
		r.disputes = append(r.disputes, s)
		r.atD(s.bought, s, "marketplace sells", r.sell)
	}
}

// atD schedules a step of a disputed order's story.
func (r *run) atD(t time.Time, s *disputeStory, who string, fn func(ctx context.Context, s *disputeStory) error) {
	r.push(t, who, func(ctx context.Context) error { return fn(ctx, s) })
}

func (r *run) putOrder(ctx context.Context, s *disputeStory, delivered *time.Time) error {
	o := order.Order{Number: s.order, BuyerEmail: r.users[s.buyer].Email, BuyerName: "Buyer",
		ShippingAddress: []string{"Street 1", "City"}, Country: s.country, Category: "accessory",
		ProductName: "Headphones", SellerCode: sellerCode(s.country), Price: s.price,
		PromisedDeliveryAt: &s.promised, DeliveredAt: delivered, CompletedAt: delivered}
	_, _, err := r.app.Orders.Put(ctx, o)
	return err
}

// sell records the order, promised for a few days later, and schedules its
// delivery (or the buyer's dispute of an order that never arrives).
func (r *run) sell(ctx context.Context, s *disputeStory) error {
	if err := r.putOrder(ctx, s, nil); err != nil {
		return err
	}
	now := r.clock.Now()
	switch s.delivery {
	case onTime:
		r.atD(between(s.dice, now.Add(hours(24)), s.promised), s, "carrier delivers", r.delivered)
	case deliveredLate:
		r.rep.Story["orders late"]++
		// Within the grace the sweep waits before it owes an undelivered
		// order: the compensation is owed when the carrier reports it.
		r.atD(between(s.dice, s.promised.Add(time.Hour), s.promised.Add(hours(48))), s, "carrier delivers late", r.delivered)
	case neverDelivered:
		r.rep.Story["orders never delivered"]++
		r.atD(between(s.dice, s.promised.Add(hours(24)), s.promised.Add(hours(96))), s, "buyer disputes", r.openDispute)
	}
	return nil
}

func (r *run) delivered(ctx context.Context, s *disputeStory) error {
	now := r.clock.Now()
	if err := r.putOrder(ctx, s, &now); err != nil {
		return err
	}
	r.atD(between(s.dice, now.Add(hours(12)), now.Add(hours(24*10))), s, "buyer disputes", r.openDispute)
	return nil
}

func (r *run) openDispute(ctx context.Context, s *disputeStory) error {
	req := dispute.Request{OrderNumber: s.order, Reason: s.reason, Remedy: s.remedy,
		Description: "It is not what the listing showed."}
	if s.remedy == dispute.PartialRefund {
		req.Amount = "15.00"
	}
	v, err := r.app.Disputes.Open(ctx, r.actor(s.buyer), req)
	if err != nil {
		return err
	}
	s.number = v.Dispute.Number
	r.rep.Story["disputes opened"]++
	now := r.clock.Now()
	due := *v.Dispute.SellerDueAt
	switch {
	case s.sellerSilent:
		// The sweep escalates it within NoticeBound of the due time; the
		// rep finds it in the escalated queue after that.
		r.rep.Story["sellers silent"]++
		r.atD(due.Add(NoticeBound+30*time.Second), s, "rep reads the dispute", r.repReads)
	case s.sellerLate:
		r.rep.Story["sellers late"]++
		r.atD(between(s.dice, due.Add(2*time.Hour), due.Add(hours(48))), s, "seller answers late", r.lateSellerAnswer)
	default:
		r.atD(between(s.dice, now.Add(30*time.Minute), due.Add(-30*time.Minute)), s, "seller answers", r.sellerAnswers)
	}
	return nil
}

func (r *run) act(ctx context.Context, who string, s *disputeStory, a dispute.Action, in dispute.Input) (dispute.View, error) {
	return r.app.Disputes.Act(ctx, r.actor(who), s.number, a, in)
}

func (r *run) sellerAnswers(ctx context.Context, s *disputeStory) error {
	now := r.clock.Now()
	switch s.move {
	case sellerAccepts:
		v, err := r.act(ctx, s.seller, s, dispute.Accept, dispute.Input{})
		if err != nil {
			return err
		}
		r.rep.Story["sellers accepted"]++
		return r.agreed(s, v)
	case sellerOffers:
		if _, err := r.act(ctx, s.seller, s, dispute.Offer, dispute.Input{Remedy: dispute.PartialRefund, Amount: "10.00"}); err != nil {
			return err
		}
		r.rep.Story["sellers offered"]++
		r.atD(between(s.dice, now.Add(time.Hour), now.Add(hours(72))), s, "buyer weighs the offer", r.weighOffer)
	default:
		if _, err := r.act(ctx, s.seller, s, dispute.Refuse, dispute.Input{Note: "The item left us as described."}); err != nil {
			return err
		}
		r.rep.Story["sellers refused"]++
		r.atD(between(s.dice, now.Add(time.Hour), now.Add(hours(72))), s, "buyer answers the refusal", r.afterRefusal)
	}
	return nil
}

// lateSellerAnswer comes after the sweep escalated the dispute: the
// lifecycle must refuse it, or the seller's answer would undo the breach.
func (r *run) lateSellerAnswer(ctx context.Context, s *disputeStory) error {
	_, err := r.act(ctx, s.seller, s, dispute.Accept, dispute.Input{})
	if !errors.Is(err, dispute.ErrWrongState) {
		return fmt.Errorf("a seller's answer after the escalation: %v, want %v", err, dispute.ErrWrongState)
	}
	r.rep.Story["late answers refused"]++
	r.planDisputeDecision(s)
	return nil
}

func (r *run) weighOffer(ctx context.Context, s *disputeStory) error {
	if s.buyerTakes {
		v, err := r.act(ctx, s.buyer, s, dispute.AcceptOffer, dispute.Input{})
		if err != nil {
			return err
		}
		r.rep.Story["offers taken"]++
		return r.agreed(s, v)
	}
	if _, err := r.act(ctx, s.buyer, s, dispute.Escalate, dispute.Input{Note: "The offer is too low."}); err != nil {
		return err
	}
	r.rep.Story["escalated by buyers"]++
	r.planDisputeDecision(s)
	return nil
}

func (r *run) afterRefusal(ctx context.Context, s *disputeStory) error {
	if s.buyerGivesUp {
		_, err := r.act(ctx, s.buyer, s, dispute.Withdraw, dispute.Input{})
		r.rep.Story["withdrawn"]++
		return err
	}
	if _, err := r.act(ctx, s.buyer, s, dispute.Escalate, dispute.Input{Note: "Please look at the photos."}); err != nil {
		return err
	}
	r.rep.Story["escalated by buyers"]++
	r.planDisputeDecision(s)
	return nil
}

// planDisputeDecision has the rep read the escalated dispute next.
func (r *run) planDisputeDecision(s *disputeStory) {
	r.atD(r.clock.Now(), s, "rep reads the dispute", r.repReads)
}

// repReads schedules the rep's decision on an escalated dispute: before
// its due time, or (a late rep) hours to days after it, the due time read
// from the dispute as the escalation set it.
func (r *run) repReads(ctx context.Context, s *disputeStory) error {
	v, err := r.app.Disputes.Get(ctx, r.actor("rep"), s.number)
	if err != nil {
		return err
	}
	if v.Dispute.Status != dispute.Escalated || v.Dispute.DecisionDueAt == nil {
		return fmt.Errorf("%s is %s, not escalated with a decision due time", s.number, v.Dispute.Status)
	}
	now, due := r.clock.Now(), *v.Dispute.DecisionDueAt
	at := between(s.dice, now.Add(time.Hour), due.Add(-time.Hour))
	if s.repLate {
		at = between(s.dice, due.Add(2*time.Hour), due.Add(hours(48)))
		r.rep.Story["dispute reps late"]++
	}
	r.atD(at, s, "rep decides the dispute", r.decideDispute)
	return nil
}

func (r *run) decideDispute(ctx context.Context, s *disputeStory) error {
	if !s.repRefunds {
		_, err := r.act(ctx, "rep", s, dispute.DecideReject, dispute.Input{Note: "The listing matches the item."})
		r.rep.Story["decided against buyers"]++
		return err
	}
	in := dispute.Input{Remedy: s.remedy, Note: "The buyer is right."}
	if s.remedy == dispute.PartialRefund {
		in.Amount = "15.00"
	}
	v, err := r.act(ctx, "rep", s, dispute.DecideRefund, in)
	if err != nil {
		return err
	}
	r.rep.Story["decided for buyers"]++
	return r.agreed(s, v)
}

// agreed follows an agreement: a refund is already paid; a return waits
// for the buyer to send the item back.
func (r *run) agreed(s *disputeStory, v dispute.View) error {
	switch v.Dispute.Status {
	case dispute.Refunded:
		r.rep.Story["refunded"]++
		return nil
	case dispute.Agreed:
		if v.Dispute.Remedy != dispute.ReturnAndRefund {
			return fmt.Errorf("%s agreed on %s but not refunded", s.number, v.Dispute.Remedy)
		}
		now := r.clock.Now()
		r.atD(between(s.dice, now.Add(hours(12)), now.Add(hours(72))), s, "buyer sends the item back", r.sendBack)
		return nil
	}
	return fmt.Errorf("%s is %s after an agreement", s.number, v.Dispute.Status)
}

func (r *run) sendBack(ctx context.Context, s *disputeStory) error {
	if _, err := r.act(ctx, s.buyer, s, dispute.SendBack, dispute.Input{}); err != nil {
		return err
	}
	r.rep.Story["items sent back"]++
	now := r.clock.Now()
	r.atD(between(s.dice, now.Add(hours(24)), now.Add(hours(96))), s, "carrier delivers the return", r.returnDelivered)
	return nil
}

func (r *run) returnDelivered(ctx context.Context, s *disputeStory) error {
	v, err := r.app.Disputes.RecordReturnDelivery(ctx, r.actor("admin"), s.number, r.clock.Now())
	if err != nil {
		return err
	}
	if !s.confirms {
		r.rep.Story["returns left unconfirmed"]++
		return nil
	}
	due := r.clock.Now().Add(hours(24))
	for _, p := range v.Promises {
		if p.Kind == promise.ReturnConfirmation {
			due = p.DueAt
		}
	}
	now := r.clock.Now()
	r.atD(between(s.dice, now.Add(time.Hour), due.Add(-time.Hour)), s, "seller confirms the return", r.confirmReturn)
	return nil
}

func (r *run) confirmReturn(ctx context.Context, s *disputeStory) error {
	if _, err := r.act(ctx, s.seller, s, dispute.ConfirmReturn, dispute.Input{}); err != nil {
		return err
	}
	r.rep.Story["returns confirmed"]++
	return nil
}
