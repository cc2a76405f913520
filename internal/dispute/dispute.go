package dispute

import (
	"slices"
	"strings"
	"time"

	"rma/internal/fault"
	"rma/internal/money"
	"rma/internal/order"
)

// Reason is why the buyer opens a dispute.
type Reason string

// The reasons of DESIGN.md's Basic protection.
const (
	NotReceived    Reason = "not_received"
	NotAsDescribed Reason = "not_as_described"
	Damaged        Reason = "damaged"
	WrongItem      Reason = "wrong_item"
)

// Reasons lists every reason, in the order forms show them.
var Reasons = []Reason{NotReceived, NotAsDescribed, Damaged, WrongItem}

// Valid reports whether r is a known reason.
func (r Reason) Valid() bool { return slices.Contains(Reasons, r) }

// Remedy is what the buyer asks for (or the seller offers, or a rep
// decides).
type Remedy string

// The remedies of DESIGN.md's Basic protection.
const (
	FullRefund      Remedy = "full_refund"
	PartialRefund   Remedy = "partial_refund"
	ReturnAndRefund Remedy = "return_and_refund"
)

// Remedies lists every remedy, in the order forms show them.
var Remedies = []Remedy{FullRefund, PartialRefund, ReturnAndRefund}

// Valid reports whether r is a known remedy.
func (r Remedy) Valid() bool { return slices.Contains(Remedies, r) }

// WindowDays is how long after the order's completion a dispute may be
// opened: until the end of the 15th day in the buyer's time zone.
const WindowDays = 15

// Reasons a dispute cannot be opened; each is a message key.
const (
	ReasonNotCompleted   = "dispute_order_not_completed"
	ReasonWindowClosed   = "dispute_window_closed"
	ReasonTooEarly       = "dispute_not_received_too_early"
	ReasonNoSeller       = "dispute_order_has_no_seller"
	ReasonAbovePrice     = "amount_above_price"
	ReasonPriceUnknown   = "dispute_price_unknown"
	ReasonAmountRequired = "amount_required"
	ReasonAmountUnwanted = "amount_only_for_partial_refund"
)

// WindowEnd is the last moment a dispute may be opened after completion:
// the end of the 15th day after the day of completion, in the time zone of
// the buyer's country (the returned instant is the first moment refused).
func WindowEnd(completed time.Time, country string) time.Time {
	local := completed.In(BuyerLocation(country))
	return time.Date(local.Year(), local.Month(), local.Day()+WindowDays+1, 0, 0, 0, 0, local.Location()).UTC()
}

// CheckWindow says whether a dispute for reason may be opened on o at now:
// nil, or an Invalid fault with its reason code. Within 15 days of
// completion any reason may be opened, but not_received only once the
// promised delivery date has passed; an undelivered order may also be
// disputed as not_received from its promised date on, completed or not.
func CheckWindow(o order.Order, reason Reason, now time.Time) error {
	if reason == NotReceived && o.PromisedDeliveryAt != nil {
		if now.Before(*o.PromisedDeliveryAt) {
			return windowError(ReasonTooEarly)
		}
		if o.DeliveredAt == nil {
			return nil
		}
	}
	if o.CompletedAt == nil {
		return windowError(ReasonNotCompleted)
	}
	if !now.Before(WindowEnd(*o.CompletedAt, o.Country)) {
		return windowError(ReasonWindowClosed)
	}
	return nil
}

func windowError(reason string) error {
	return &fault.Error{Kind: fault.Invalid, Reason: reason, Fields: map[string]string{"order_number": reason}}
}

// Request is what a buyer sends to open a dispute.
type Request struct {
	OrderNumber string
	Reason      Reason
	Description string
	Remedy      Remedy
	// Amount is the partial refund asked for, as the buyer typed it.
	Amount string
}

// Claim is a checked request: what the buyer asks for, in exact money.
type Claim struct {
	Reason      Reason
	Description string
	Remedy      Remedy
	// Amount is the refund asked for: the price for a full refund or a
	// return, the amount typed for a partial refund.
	Amount money.Money
}

// Validate checks a request against its order: every invalid field is
// named. The window is CheckWindow's.
func Validate(req Request, o order.Order) (Claim, error) {
	var f fault.Fields
	c := Claim{Reason: Reason(strings.TrimSpace(string(req.Reason))), Remedy: Remedy(strings.TrimSpace(string(req.Remedy))),
		Description: strings.TrimSpace(req.Description)}
	if !c.Reason.Valid() {
		f.Add("reason", "dispute_reason_invalid")
	}
	if c.Description == "" || len(c.Description) > 4000 {
		f.Add("description", "description_required")
	}
	if !c.Remedy.Valid() {
		f.Add("remedy", "remedy_invalid")
	}
	amount, err := RemedyAmount(c.Remedy, req.Amount, o.Price)
	if err != nil {
		if fe, ok := fault.As(err); ok {
			for k, v := range fe.Fields {
				f.Add(k, v)
			}
		}
	}
	c.Amount = amount
	if o.SellerCode == "" {
		f.Add("order_number", ReasonNoSeller)
	}
	if o.Price.IsZero() {
		// Every remedy ends in a refund of an exact amount.
		f.Add("order_number", ReasonPriceUnknown)
	}
	return c, f.Err("invalid_input")
}

// RemedyAmount is the exact refund of a remedy on an order of the given
// price: the whole price for a full refund or a return, and for a partial
// refund the amount typed, which must be more than zero, at most the price,
// and have no more decimals than the currency. A partial amount for another
// remedy is refused rather than ignored.
func RemedyAmount(remedy Remedy, amount string, price money.Money) (money.Money, error) {
	amount = strings.TrimSpace(amount)
	switch {
	case remedy != PartialRefund && amount != "":
		return money.Money{}, fault.Field("amount", ReasonAmountUnwanted)
	case remedy != PartialRefund:
		return price, nil
	case amount == "":
		return money.Money{}, fault.Field("amount", ReasonAmountRequired)
	case price.IsZero():
		return money.Money{}, fault.Field("amount", ReasonPriceUnknown)
	}
	m, err := money.ParsePositive(amount, price.Currency)
	if err != nil {
		return money.Money{}, fault.Field("amount", money.Reason(err))
	}
	if m.Minor > price.Minor {
		return money.Money{}, fault.Field("amount", ReasonAbovePrice)
	}
	return m, nil
}
