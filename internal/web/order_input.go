package web

import (
	"rma/internal/fault"
	"rma/internal/money"
	"rma/internal/order"
)

// orderExtras are the order fields that arrive as text from the API and
// the CSV import alike: dates and the price.
type orderExtras struct {
	CompletedAt, PromisedDeliveryAt, DeliveredAt string
	Amount, Currency                             string
}

// apply parses the extras into o; every unreadable field is named.
func (in orderExtras) apply(o *order.Order) error {
	var f fault.Fields
	var ok bool
	if o.CompletedAt, ok = parseTime(in.CompletedAt); !ok {
		f.Add("completed_at", "date_invalid")
	}
	if o.PromisedDeliveryAt, ok = parseTime(in.PromisedDeliveryAt); !ok {
		f.Add("promised_delivery_at", "date_invalid")
	}
	if o.DeliveredAt, ok = parseTime(in.DeliveredAt); !ok {
		f.Add("delivered_at", "date_invalid")
	}
	if in.Amount != "" || in.Currency != "" {
		price, err := money.ParsePositive(in.Amount, in.Currency)
		if err != nil {
			f.Add("price", money.Reason(err))
		}
		o.Price = price
	}
	return f.Err("invalid_input")
}
