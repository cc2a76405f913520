package dispute

import (
	"crypto/rand"
	"time"

	"rma/internal/account"
	"rma/internal/money"
	"rma/internal/promise"
	"rma/internal/refund"
	"rma/internal/webhook"
)

// Dispute is a buyer's dispute with the seller of one order.
type Dispute struct {
	ID          string
	Number      string
	Status      Status
	OrderNumber string
	BuyerID     string
	SellerCode  string
	// Country and Language are the buyer's: the seller's clock runs in the
	// country's calendar, messages go out in the language.
	Country     string
	Language    string
	Reason      Reason
	Description string
	// Remedy and Amount are what the buyer asked for, then what was agreed
	// or decided.
	Remedy Remedy
	Amount money.Money
	// OfferRemedy and OfferAmount are the seller's standing offer.
	OfferRemedy   Remedy
	OfferAmount   money.Money
	SellerDueAt   *time.Time
	DecisionDueAt *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int
}

// Event is one step of a dispute's history.
type Event struct {
	ID        string
	At        time.Time
	Action    Action
	From, To  Status
	ActorID   string
	ActorRole account.Role
	Note      string
}

// Message is a note between buyer, seller and rep.
type Message struct {
	ID        string
	At        time.Time
	ActorID   string
	ActorRole account.Role
	Body      string
}

// View is a dispute with its history, messages and promises.
type View struct {
	Dispute  Dispute
	Events   []Event
	Messages []Message
	Promises []promise.Promise
}

// Change is one transition to write in one transaction: the dispute as it
// becomes (its Version the one read), the events (an agreement on a refund
// is followed by the refund itself), the promises made or settled, and a
// refund when the transition owes one.
type Change struct {
	Dispute  Dispute
	Events   []Event
	Promises []promise.Promise
	Refund   *refund.Refund
	// Notices are the webhook events the change announces, delivered from
	// the outbox written in the same transaction.
	Notices []webhook.Event
}

// notices are the events of a change: the dispute as it became, and the
// refund it owes.
func (c *Change) notices(at time.Time) {
	d := c.Dispute
	c.Notices = []webhook.Event{webhook.NewEvent(webhook.DisputeUpdated, at, map[string]any{
		"dispute_number": d.Number, "order_number": d.OrderNumber, "seller": d.SellerCode, "status": string(d.Status),
		"reason": string(d.Reason), "remedy": string(d.Remedy), "amount": d.Amount.Amount(),
		"currency": d.Amount.Currency})}
	if c.Refund != nil {
		c.Notices = append(c.Notices, c.Refund.Event())
	}
}

const numberAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"

// NewNumber returns a fresh dispute number, DSP- and eight symbols.
func NewNumber() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	for i, v := range b {
		b[i] = numberAlphabet[v&31]
	}
	return "DSP-" + string(b)
}
