package store_test

import (
	"context"
	"testing"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// TestListSearchesAndPages: without a search every claim is listed, newest
// first; a search by RMA number finds that claim alone; the cursor of a
// page starts the next one after its last claim.
func TestListSearchesAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		older := fixture(t, st)
		newer := older
		newer.ID, newer.RMANumber, newer.IMEI = ulid.Make().String(), claim.NewRMANumber(), "356938035643809"
		if err := st.CreateClaim(ctx, newer, claim.Event{ID: ulid.Make().String(), ClaimID: newer.ID, At: now, Action: "submit",
			To: claim.Submitted, ActorID: newer.BuyerID, ActorRole: account.Buyer}, nil); err != nil {
			t.Fatal(err)
		}
		list := func(f claim.Filter) []string {
			t.Helper()
			cs, err := st.ListClaims(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range cs {
				out = append(out, c.RMANumber)
			}
			return out
		}
		same := func(what string, got []string, want ...string) {
			t.Helper()
			if len(got) != len(want) {
				t.Errorf("%s: %v, want %v", what, got, want)
				return
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s: %v, want %v", what, got, want)
					return
				}
			}
		}
		same("everything", list(claim.Filter{Limit: 10}), newer.RMANumber, older.RMANumber)
		same("by RMA number", list(claim.Filter{Query: older.RMANumber, Limit: 10}), older.RMANumber)
		same("first page", list(claim.Filter{Limit: 1}), newer.RMANumber)
		same("second page", list(claim.Filter{Limit: 1, After: newer.ID}), older.RMANumber)
	})
}
