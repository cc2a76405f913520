package store_test

import (
	"context"
	"testing"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/promise"
	"rma/internal/store"
	"rma/internal/store/storetest"
	"rma/internal/webhook"
)

// TestCreateClaimWritesAllItCarries: a filing writes, with the claim, its
// promises and one webhook delivery per subscribed endpoint, and a claim
// filed without a device check reads back as checked against the order.
func TestCreateClaimWritesAllItCarries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := st.PutEndpoint(ctx, webhook.Endpoint{Name: "erp", URL: "https://erp.example.com/h", Secret: "s",
			Events: []string{webhook.ClaimUpdated}}, now); err != nil {
			t.Fatal(err)
		}
		if err := st.PutEndpoint(ctx, webhook.Endpoint{Name: "refunds", URL: "https://r.example.com/h", Secret: "s",
			Events: []string{webhook.RefundCreated}}, now); err != nil {
			t.Fatal(err)
		}
		c := fixture(t, st)
		got, err := st.ClaimByRMA(ctx, c.RMANumber)
		if err != nil || got.DeviceCheck != claim.DeviceOnOrder {
			t.Errorf("device check of a claim filed without one: %q %v", got.DeviceCheck, err)
		}
		ds, err := st.Deliveries(ctx, "", 10)
		if err != nil || len(ds) != 1 || ds[0].Endpoint != "erp" || ds[0].Type != webhook.ClaimUpdated {
			t.Errorf("deliveries after a filing: %+v %v", ds, err)
		}

		c2 := c
		c2.ID, c2.RMANumber, c2.IMEI = ulid.Make().String(), claim.NewRMANumber(), "356938035643809"
		c2.Promises = []promise.Promise{promise.Make(ulid.Make().String(), promise.Answer, now, now.AddDate(0, 0, 2)),
			promise.Make(ulid.Make().String(), promise.ShipBy, now, now.AddDate(0, 0, 9))}
		if err := st.CreateClaim(ctx, c2, submitted(c2), nil); err != nil {
			t.Fatal(err)
		}
		got, err = st.ClaimWithPromises(ctx, c2.RMANumber)
		if err != nil || len(got.Promises) != 2 || got.Promises[0].ID != c2.Promises[0].ID ||
			got.Promises[1].Kind != promise.ShipBy || !got.Promises[1].DueAt.Equal(c2.Promises[1].DueAt) {
			t.Errorf("promises read back: %+v %v", got.Promises, err)
		}
	})
}

// TestCreateClaimFlagsTheDeviceConflict: a second open claim on a device
// the order does not record (a different open key, so the unique index lets
// it in) flags both claims, moves their versions and writes an event on each.
func TestCreateClaimFlagsTheDeviceConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a := fixture(t, st)
		b := a
		b.ID, b.RMANumber, b.DeviceCheck = ulid.Make().String(), claim.NewRMANumber(), claim.DeviceClaimed
		if err := st.CreateClaim(ctx, b, submitted(b), nil); err != nil {
			t.Fatal(err)
		}
		for _, x := range []claim.Claim{a, b} {
			v, err := st.ClaimView(ctx, x.RMANumber)
			if err != nil {
				t.Fatal(err)
			}
			if !v.Claim.DeviceConflict || v.Claim.Version != x.Version+1 {
				t.Errorf("%s: conflict %v, version %d (was %d)", x.RMANumber, v.Claim.DeviceConflict, v.Claim.Version, x.Version)
			}
			if n := len(v.Events); n != 2 {
				t.Errorf("%s: %d events, want the filing and the conflict", x.RMANumber, n)
			}
		}
		// A claim on another device flags nobody.
		c := a
		c.ID, c.RMANumber, c.IMEI = ulid.Make().String(), claim.NewRMANumber(), "356938035643809"
		if err := st.CreateClaim(ctx, c, submitted(c), nil); err != nil {
			t.Fatal(err)
		}
		if got, err := st.ClaimByRMA(ctx, c.RMANumber); err != nil || got.DeviceConflict || got.Version != c.Version {
			t.Errorf("a claim on its own device: conflict %v version %d %v", got.DeviceConflict, got.Version, err)
		}
	})
}

func submitted(c claim.Claim) claim.Event {
	return claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: "submit", To: claim.Submitted,
		ActorID: c.BuyerID, ActorRole: account.Buyer}
}
