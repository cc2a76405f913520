// Package refund is the refunds ledger: every refund we owe a buyer (a
// dispute's outcome, a late delivery's compensation) is one row with an
// exact amount, written in the transaction of its cause. The marketplace
// moves the money; we keep the record and tell it by webhook.
package refund

import (
	"time"

	"rma/internal/money"
	"rma/internal/webhook"
)

// Status is where a refund is.
type Status string

// Refund states: pending until the marketplace is told, then sent, then
// confirmed or failed.
const (
	Pending   Status = "pending"
	Sent      Status = "sent"
	Confirmed Status = "confirmed"
	Failed    Status = "failed"
)

// Source says what caused a refund.
type Source string

// Sources of refunds.
const (
	FromDispute      Source = "dispute"
	FromLateDelivery Source = "late_delivery"
)

// Refund is one row of the ledger.
type Refund struct {
	ID          string
	OrderNumber string
	// DisputeID is the dispute a dispute refund settles.
	DisputeID string
	Amount    money.Money
	// Reason is the dispute's reason or "late_delivery".
	Reason string
	Source Source
	// Key makes a refund happen once per cause: a second row with the same
	// key is refused by the database.
	Key       string
	Status    Status
	CreatedAt time.Time
}

// DisputeKey is the once-only key of a dispute's refund.
func DisputeKey(disputeID string) string { return "dispute:" + disputeID }

// LateDeliveryKey is the once-only key of an order's late-delivery
// compensation.
func LateDeliveryKey(orderNumber string) string { return "late_delivery:" + orderNumber }

// Event is the refund.created webhook event of r: how the marketplace
// learns it must pay.
func (r Refund) Event() webhook.Event {
	return webhook.NewEvent(webhook.RefundCreated, r.CreatedAt, map[string]any{"id": r.ID, "order_number": r.OrderNumber,
		"amount": r.Amount.Amount(), "currency": r.Amount.Currency, "reason": r.Reason, "source": string(r.Source),
		"status": string(r.Status), "created_at": r.CreatedAt.UTC()})
}
