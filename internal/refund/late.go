package refund

import (
	"time"

	"rma/internal/money"
)

// LatePolicy is the on-time delivery guarantee: what a late delivery earns.
// Fixed (a decimal string in the order's currency) wins over Percent when
// set; either is capped at the price.
type LatePolicy struct {
	// Percent of the price, in whole percent (default 10).
	Percent int64
	// Fixed amount, e.g. "5.00"; empty to use Percent.
	Fixed string
	// Grace is how long after the promised date an undelivered order is
	// late (default 3 days).
	Grace time.Duration
}

// Late reports whether an order promised for promised and delivered at
// delivered (nil: not yet) is late at now: delivered after the promised
// date, or still undelivered a grace after it.
func (p LatePolicy) Late(promised, delivered *time.Time, now time.Time) bool {
	switch {
	case promised == nil:
		return false
	case delivered != nil:
		return delivered.After(*promised)
	default:
		return now.After(promised.Add(p.Grace))
	}
}

// Compensation is what a late order of the given price earns, or false
// when it earns nothing (no price, a zero share, an unreadable fixed
// amount). Exact integer arithmetic, capped at the price.
func (p LatePolicy) Compensation(price money.Money) (money.Money, bool) {
	if price.IsZero() || price.Minor <= 0 {
		return money.Money{}, false
	}
	var m money.Money
	if p.Fixed != "" {
		f, err := money.ParsePositive(p.Fixed, price.Currency)
		if err != nil {
			return money.Money{}, false
		}
		m = f
	} else {
		m = price.Percent(p.Percent * 100)
	}
	m.Minor = min(m.Minor, price.Minor)
	return m, m.Minor > 0
}

// ReasonLateDelivery is the reason of an on-time delivery compensation.
const ReasonLateDelivery = "late_delivery"

// ForLateDelivery returns the compensation row an order owes, or nil: at
// most one per order however often it is computed, because its key is the
// order's (the ledger refuses a second row with the same key).
func (p LatePolicy) ForLateDelivery(id, orderNumber string, price money.Money, promised, delivered *time.Time,
	now time.Time) *Refund {
	if !p.Late(promised, delivered, now) {
		return nil
	}
	amount, ok := p.Compensation(price)
	if !ok {
		return nil
	}
	return &Refund{ID: id, OrderNumber: orderNumber, Amount: amount, Reason: ReasonLateDelivery,
		Source: FromLateDelivery, Key: LateDeliveryKey(orderNumber), Status: Pending, CreatedAt: now}
}
