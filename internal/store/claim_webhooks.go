package store

import (
	"rma/internal/claim"
	"rma/internal/webhook"
)

// claimNotices is the webhook event of a claim's transition, delivered from
// the outbox written in the transition's transaction: the marketplace
// learns each step of a claim as it learns a dispute's. It carries no
// personal data, only what names the claim and its step.
func claimNotices(c claim.Claim, ev claim.Event) []webhook.Event {
	return []webhook.Event{webhook.NewEvent(webhook.ClaimUpdated, ev.At, map[string]any{
		"rma_number": c.RMANumber, "order_number": c.OrderNumber, "coverage": string(c.Coverage),
		"action": string(ev.Action), "from": string(ev.From), "status": string(c.Status)})}
}
