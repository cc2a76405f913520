package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/money"
	"rma/internal/order"
	"rma/internal/refund"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// TestUndeliveredLateOwesOnce: an order promised before the cut, not
// delivered and with a price is late until the ledger holds its
// late-delivery refund, which is written once.
func TestUndeliveredLateOwesOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fixture(t, st)
		promised, early := now.Add(-48*time.Hour), now.Add(-72*time.Hour)
		delivered := now.Add(-time.Hour)
		for _, o := range []order.Order{
			{Number: "LATE-2", PromisedDeliveryAt: &promised, Price: money.Money{Minor: 500, Currency: "EUR"}},
			{Number: "LATE-1", PromisedDeliveryAt: &early, Price: money.Money{Minor: 900, Currency: "EUR"}},
			{Number: "ONTIME", PromisedDeliveryAt: &promised, DeliveredAt: &delivered, Price: money.Money{Minor: 500, Currency: "EUR"}},
			{Number: "NOPRICE", PromisedDeliveryAt: &promised},
			{Number: "FUTURE", PromisedDeliveryAt: &now, Price: money.Money{Minor: 500, Currency: "EUR"}},
		} {
			o.BuyerEmail, o.BuyerName, o.ShippingAddress, o.CompletedAt, o.Country, o.ProductName, o.Category =
				"b@example.com", "B", []string{"a"}, &early, "DE", "P", "phone"
			if _, err := st.PutOrder(ctx, o, now); err != nil {
				t.Fatal(err)
			}
		}
		numbers := func(limit int) []string {
			os, err := st.UndeliveredLate(ctx, now, limit)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, o := range os {
				out = append(out, o.Number)
			}
			return out
		}
		if got := numbers(10); !equal(got, []string{"LATE-1", "LATE-2"}) {
			t.Errorf("late orders: %v", got)
		}
		if got := numbers(1); !equal(got, []string{"LATE-1"}) {
			t.Errorf("late orders, one: %v", got)
		}
		r := refund.Refund{ID: ulid.Make().String(), OrderNumber: "LATE-1", Amount: money.Money{Minor: 90, Currency: "EUR"},
			Reason: "late_delivery", Source: refund.FromLateDelivery, Key: refund.LateDeliveryKey("LATE-1"), Status: refund.Pending,
			CreatedAt: now}
		if wrote, err := st.OweRefund(ctx, r); err != nil || !wrote {
			t.Fatalf("owe: %v %v", wrote, err)
		}
		r.ID = ulid.Make().String()
		if wrote, err := st.OweRefund(ctx, r); err != nil || wrote {
			t.Errorf("owed twice: %v %v", wrote, err)
		}
		if got := numbers(10); !equal(got, []string{"LATE-2"}) {
			t.Errorf("late orders once one is owed: %v", got)
		}
	})
}
