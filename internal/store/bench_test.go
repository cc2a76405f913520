package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/bench"
	"rma/internal/claim"
	"rma/internal/fault"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// TestIntakeCheckIsOverwrittenWithItsEvents: a second check replaces the
// first, and each check's events join the claim's timeline.
func TestIntakeCheckIsOverwrittenWithItsEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := fixture(t, st)
		if _, err := st.IntakeCheck(ctx, c.ID); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("no check yet: %v", err)
		}
		ev := func() claim.Event {
			return claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: "intake", From: c.Status,
				To: c.Status, ActorID: "tech", ActorRole: account.Technician}
		}
		first := bench.IntakeCheck{ClaimID: c.ID, Condition: "B", ConditionNote: "scratch", Accessories: []string{"cable"},
			ActivationLock: "off", ByUserID: "tech", CheckedAt: now}
		if err := st.PutIntakeCheck(ctx, first, []claim.Event{ev()}); err != nil {
			t.Fatal(err)
		}
		second := first
		second.Condition, second.Accessories, second.CheckedAt = "C", []string{"cable", "box"}, now.Add(time.Hour)
		if err := st.PutIntakeCheck(ctx, second, []claim.Event{ev(), ev()}); err != nil {
			t.Fatal(err)
		}
		got, err := st.IntakeCheck(ctx, c.ID)
		if err != nil || got.Condition != "C" || !slices.Equal(got.Accessories, second.Accessories) ||
			got.ConditionNote != "scratch" || !got.CheckedAt.Equal(second.CheckedAt) {
			t.Errorf("check read back: %+v %v", got, err)
		}
		v, err := st.ClaimView(ctx, c.RMANumber)
		if err != nil || len(v.Events) != 4 {
			t.Errorf("timeline: %d events %v, want the filing and three intake events", len(v.Events), err)
		}
		// An event that cannot be written (its id taken) leaves the check as it was.
		bad := second
		bad.Condition = "A"
		dup := ev()
		if err := st.PutIntakeCheck(ctx, bad, []claim.Event{dup, dup}); err == nil {
			t.Fatal("a duplicate event id was written")
		}
		if got, _ := st.IntakeCheck(ctx, c.ID); got.Condition != "C" {
			t.Errorf("a failed check left condition %q", got.Condition)
		}
	})
}

// TestUsePartsTakesStockAndGivesItBack: parts come out of the center's
// stock (a part the center does not stock is recorded, nothing taken), the
// parts at or under their low mark are named, too few left is OutOfStock
// with nothing written, and ReleaseParts gives back exactly what was taken.
func TestUsePartsTakesStockAndGivesItBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := fixture(t, st)
		if err := st.PutStock(ctx, bench.Stock{Center: "NOPE", Part: bench.Part{Number: "SCR-1", Quantity: 1}}); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("stock of an unknown center: %v", err)
		}
		for _, s := range []bench.Stock{
			{Center: "BER", Part: bench.Part{Number: "BAT-1", Name: "Battery", Quantity: 5}, LowAt: 2},
			{Center: "BER", Part: bench.Part{Number: "SCR-1", Name: "Screen", Quantity: 9}, LowAt: 2},
		} {
			if err := st.PutStock(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		low, err := st.UseParts(ctx, c.ID, "BER", []bench.Part{{Number: "BAT-1", Quantity: 3}, {Number: "SCR-1", Quantity: 1},
			{Number: "GLUE", Name: "Glue", Quantity: 1}}, []string{"E1", "E2"}, now)
		if err != nil || len(low) != 1 || low[0].Part.Number != "BAT-1" || low[0].Part.Quantity != 2 || !low[0].Low {
			t.Fatalf("use: low %+v %v (a battery left at its low mark is low)", low, err)
		}
		stock := func() map[string]bench.Stock {
			ss, err := st.Stock(ctx, "BER")
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]bench.Stock{}
			for _, s := range ss {
				m[s.Part.Number] = s
			}
			return m
		}
		if s := stock(); s["BAT-1"].Part.Quantity != 2 || !s["BAT-1"].Low || s["SCR-1"].Part.Quantity != 8 || s["SCR-1"].Low || len(s) != 2 {
			t.Errorf("stock after use: %+v", s)
		}
		parts, codes, err := st.PartsUsed(ctx, c.ID)
		want := []bench.Part{{Number: "BAT-1", Name: "Battery", Quantity: 3}, {Number: "GLUE", Name: "Glue", Quantity: 1},
			{Number: "SCR-1", Name: "Screen", Quantity: 1}}
		if err != nil || !slices.Equal(parts, want) || !slices.Equal(codes, []string{"E1", "E2"}) {
			t.Errorf("parts used: %+v %v %v", parts, codes, err)
		}

		// Too few left: OutOfStock, and the part before it is not taken either.
		c2 := c
		c2.ID, c2.RMANumber, c2.IMEI = ulid.Make().String(), claim.NewRMANumber(), "356938035643809"
		if err := st.CreateClaim(ctx, c2, submitted(c2), nil); err != nil {
			t.Fatal(err)
		}
		_, err = st.UseParts(ctx, c2.ID, "BER", []bench.Part{{Number: "SCR-1", Quantity: 1}, {Number: "BAT-1", Quantity: 3}}, []string{"E9"}, now)
		var oos *bench.OutOfStock
		if !errors.As(err, &oos) || oos.Number != "BAT-1" || oos.Left != 2 {
			t.Errorf("too few batteries: %v", err)
		}
		if s := stock(); s["SCR-1"].Part.Quantity != 8 || s["BAT-1"].Part.Quantity != 2 {
			t.Errorf("a refused use took stock: %+v", s)
		}
		if parts, codes, err := st.PartsUsed(ctx, c2.ID); err != nil || len(parts) != 0 || codes != nil {
			t.Errorf("a refused use recorded %+v %v %v", parts, codes, err)
		}

		if err := st.ReleaseParts(ctx, c.ID, "BER", want); err != nil {
			t.Fatal(err)
		}
		// A second release finds nothing to give back.
		if err := st.ReleaseParts(ctx, c.ID, "BER", want); err != nil {
			t.Fatal(err)
		}
		if s := stock(); s["BAT-1"].Part.Quantity != 5 || s["SCR-1"].Part.Quantity != 9 || len(s) != 2 {
			t.Errorf("stock after release: %+v", s)
		}
		if parts, codes, err := st.PartsUsed(ctx, c.ID); err != nil || len(parts) != 0 || codes != nil {
			t.Errorf("released parts still recorded: %+v %v %v", parts, codes, err)
		}
		// Parts without codes record no diagnosis.
		if _, err := st.UseParts(ctx, c.ID, "BER", []bench.Part{{Number: "SCR-1", Quantity: 1}}, nil, now); err != nil {
			t.Fatal(err)
		}
		if parts, codes, err := st.PartsUsed(ctx, c.ID); err != nil || len(parts) != 1 || codes != nil {
			t.Errorf("parts used without codes: %+v %q %v", parts, codes, err)
		}
	})
}

// TestDeviceClaimsNewestFirst: a device's claims, and the claim that gave
// it as a replacement, newest first; another device's are not listed.
func TestDeviceClaimsNewestFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a := fixture(t, st)
		b := a
		b.ID, b.RMANumber, b.IMEI, b.CreatedAt = ulid.Make().String(), claim.NewRMANumber(), "356938035643809", now.Add(time.Hour)
		b.ReplacementIMEI = a.IMEI
		if err := st.CreateClaim(ctx, b, submitted(b), nil); err != nil {
			t.Fatal(err)
		}
		got, err := st.DeviceClaims(ctx, a.IMEI)
		if err != nil || len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID {
			t.Errorf("claims of %s: %+v %v", a.IMEI, got, err)
		}
		if got, err := st.DeviceClaims(ctx, "000000000000000"); err != nil || len(got) != 0 {
			t.Errorf("an unknown device: %+v %v", got, err)
		}
	})
}
