package order_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"rma/internal/money"
	"rma/internal/order"
	"rma/internal/refund"
	"rma/internal/seller"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// TestLateDeliveryCompensatedOnce: an order delivered after its promised
// date owes 10% of its price once, however often it is re-imported and
// however many updates of it run at once; an on-time order owes nothing.
func TestLateDeliveryCompensatedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
		if _, err := st.PutSeller(ctx, seller.Seller{Code: "SHOP", Name: "Shop", Email: "shop@example.com",
			Language: "en", ReturnAddress: []string{"a"}}, now); err != nil {
			t.Fatal(err)
		}
		svc := order.NewService(st, refund.LatePolicy{Percent: 10, Grace: 72 * time.Hour}, func() time.Time { return now })
		promised := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		delivered := promised.Add(26 * time.Hour)
		mk := func(number string, delivered *time.Time) order.Order {
			return order.Order{Number: number, BuyerEmail: "buyer@example.com", BuyerName: "B", ShippingAddress: []string{"a"},
				Country: "DE", ProductName: "Lamp", Category: "lamp", SellerCode: "SHOP",
				Price: money.Money{Minor: 12345, Currency: "EUR"}, PromisedDeliveryAt: &promised, DeliveredAt: delivered}
		}
		onTime := promised.Add(-time.Hour)
		for range 3 {
			if err := svc.Import(ctx, []order.Order{mk("LATE-1", &delivered), mk("ONTIME-1", &onTime)}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := svc.Put(ctx, mk("LATE-2", &delivered)); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		rs, err := st.Refunds(ctx, refund.Filter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		per := map[string]int{}
		for _, r := range rs {
			per[r.OrderNumber]++
			if r.Amount.Amount() != "12.34" || r.Source != refund.FromLateDelivery || r.Reason != refund.ReasonLateDelivery {
				t.Errorf("compensation %+v", r)
			}
		}
		if per["LATE-1"] != 1 || per["LATE-2"] != 1 || per["ONTIME-1"] != 0 || len(rs) != 2 {
			t.Fatalf("compensations per order %v", per)
		}

		// Never delivered: owed by the sweep once the grace has passed,
		// once however often it runs, and not again when the delivery
		// date finally arrives late.
		now = promised.Add(72 * time.Hour)
		if _, _, err := svc.Put(ctx, mk("LOST-1", nil)); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.CompensateUndelivered(ctx); err != nil || n != 0 {
			t.Fatalf("within the grace: %d %v", n, err)
		}
		now = now.Add(time.Second)
		total := 0
		for range 3 {
			n, err := svc.CompensateUndelivered(ctx)
			if err != nil {
				t.Fatal(err)
			}
			total += n
		}
		if _, _, err := svc.Put(ctx, mk("LOST-1", &delivered)); err != nil {
			t.Fatal(err)
		}
		rs, err = st.Refunds(ctx, refund.Filter{OrderNumber: "LOST-1", Limit: 10})
		if err != nil || total != 1 || len(rs) != 1 {
			t.Fatalf("undelivered: swept %d, %d rows, %v", total, len(rs), err)
		}
	})
}
