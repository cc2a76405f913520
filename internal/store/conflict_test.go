package store_test

import (
	"context"
	"testing"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/order"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// Two open claims naming one device, neither proven by its order, are both
// filed and both flagged, each with one event naming the other; a claim of
// another device is left alone.
func TestClaimsOnOneDeviceAreFlagged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		first := fixture(t, st)
		if _, err := st.PutOrder(ctx, order.Order{Number: "O2", BuyerEmail: first.BuyerEmail, BuyerName: "B",
			ShippingAddress: []string{"a"}, CompletedAt: &now, Country: "DE", ProductName: "P", Category: "phone",
			Coverages: []coverage.Kind{coverage.ExtendedWarranty}}, now); err != nil {
			t.Fatal(err)
		}
		file := func(orderNumber, imei string) claim.Claim {
			t.Helper()
			c := first
			c.ID, c.RMANumber, c.OrderNumber, c.IMEI, c.DeviceCheck = ulid.Make().String(), claim.NewRMANumber(),
				orderNumber, imei, claim.DeviceClaimed
			if err := st.CreateClaim(ctx, c, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now,
				Action: claim.Submit, To: claim.Submitted, ActorID: c.BuyerID, ActorRole: account.Buyer}, nil); err != nil {
				t.Fatal(err)
			}
			return c
		}
		alone := file("O2", "356938035643809")
		if v, err := st.ClaimView(ctx, alone.RMANumber); err != nil || v.Claim.DeviceConflict || len(v.Events) != 1 {
			t.Fatalf("a claim of another device: conflict %v, %d events, %v; want neither", v.Claim.DeviceConflict, len(v.Events), err)
		}
		second := file("O2", first.IMEI)
		for _, pair := range [][2]claim.Claim{{first, second}, {second, first}} {
			v, err := st.ClaimView(ctx, pair[0].RMANumber)
			if err != nil {
				t.Fatal(err)
			}
			var conflicts int
			for _, ev := range v.Events {
				if ev.Action == claim.ActionDeviceConflict {
					conflicts++
				}
			}
			// A claim written without a check is one whose order holds the
			// device; a check given is kept.
			want := claim.DeviceOnOrder
			if pair[0].DeviceCheck != "" {
				want = pair[0].DeviceCheck
			}
			if v.Claim.DeviceCheck != want {
				t.Errorf("%s: device check %q, want %q", pair[0].RMANumber, v.Claim.DeviceCheck, want)
			}
			if !v.Claim.DeviceConflict || conflicts != 1 {
				t.Errorf("%s: conflict %v with %d conflict events; want flagged once", pair[0].RMANumber, v.Claim.DeviceConflict, conflicts)
			}
		}
	})
}
