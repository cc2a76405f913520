package web

import (
	"time"

	"rma/internal/dispute"
)

type disputeMessageJSON struct {
	ID     string    `json:"id"`
	At     time.Time `json:"at"`
	ByRole string    `json:"by_role"`
	Body   string    `json:"body"`
}

type disputeStepJSON struct {
	At        time.Time `json:"at"`
	Action    string    `json:"action"`
	From      string    `json:"from"`
	Status    string    `json:"status"`
	ActorRole string    `json:"actor_role"`
	Note      string    `json:"note,omitempty"`
}

type offerJSON struct {
	Remedy string     `json:"remedy"`
	Amount *moneyJSON `json:"amount"`
}

type disputeJSON struct {
	Number        string               `json:"dispute_number"`
	Status        string               `json:"status"`
	OrderNumber   string               `json:"order_number"`
	Seller        string               `json:"seller"`
	Reason        string               `json:"reason"`
	Description   string               `json:"description"`
	Remedy        string               `json:"remedy"`
	Amount        *moneyJSON           `json:"amount"`
	Offer         *offerJSON           `json:"offer"`
	SellerDueAt   *time.Time           `json:"seller_due_at"`
	DecisionDueAt *time.Time           `json:"decision_due_at"`
	CreatedAt     time.Time            `json:"created_at"`
	UpdatedAt     time.Time            `json:"updated_at"`
	Messages      []disputeMessageJSON `json:"messages"`
	Promises      []promiseJSON        `json:"promises"`
	Timeline      []disputeStepJSON    `json:"timeline"`
}

func renderMessage(m dispute.Message) disputeMessageJSON {
	return disputeMessageJSON{ID: m.ID, At: m.At.UTC(), ByRole: string(m.ActorRole), Body: m.Body}
}

func renderDispute(v dispute.View, now time.Time) disputeJSON {
	d := v.Dispute
	j := disputeJSON{Number: d.Number, Status: string(d.Status), OrderNumber: d.OrderNumber, Seller: d.SellerCode,
		Reason: string(d.Reason), Description: d.Description, Remedy: string(d.Remedy), Amount: renderMoney(d.Amount),
		SellerDueAt: d.SellerDueAt, DecisionDueAt: d.DecisionDueAt, CreatedAt: d.CreatedAt.UTC(),
		UpdatedAt: d.UpdatedAt.UTC(), Messages: []disputeMessageJSON{}, Promises: []promiseJSON{},
		Timeline: []disputeStepJSON{}}
	if d.OfferRemedy != "" {
		j.Offer = &offerJSON{Remedy: string(d.OfferRemedy), Amount: renderMoney(d.OfferAmount)}
	}
	for _, m := range v.Messages {
		j.Messages = append(j.Messages, renderMessage(m))
	}
	for _, p := range v.Promises {
		j.Promises = append(j.Promises, renderPromise(p, now))
	}
	for _, e := range v.Events {
		j.Timeline = append(j.Timeline, disputeStepJSON{At: e.At.UTC(), Action: string(e.Action), From: string(e.From),
			Status: string(e.To), ActorRole: string(e.ActorRole), Note: e.Note})
	}
	return j
}
