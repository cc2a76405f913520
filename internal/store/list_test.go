package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

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

// TestKeysetPagesInDeadlineOrder pages through lists of several statuses,
// whose deadlines tie and are sometimes missing, a few claims at a time,
// each page starting after the last claim of the one before (its id and,
// in a deadline order, its deadline): the pages together are every
// matching claim exactly once, in the list's order (missing deadlines
// first, as SQL sorts NULL, then by deadline, ties by id; newest first by
// id otherwise), as one long page also lists them.
func TestKeysetPagesInDeadlineOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		base := fixture(t, st)
		statuses := []claim.Status{claim.Submitted, claim.UnderReview, claim.Received, claim.Diagnosing, claim.Approved}
		// Three deadlines shared by many claims, and none for every fifth.
		dues := []time.Time{now.Add(time.Hour), now.Add(-time.Hour), now.Add(48 * time.Hour)}
		for i := range 30 {
			c := base
			c.ID, c.RMANumber, c.IMEI = ulid.Make().String(), claim.NewRMANumber(), fmt.Sprintf("3569380356%05d", i)
			c.Status = statuses[i%len(statuses)]
			if i%5 != 4 {
				due := dues[i%len(dues)]
				c.ReviewDueAt, c.ReturnDueAt, c.ShipBy = &due, &due, &due
			} else {
				c.ReviewDueAt, c.ReturnDueAt, c.ShipBy = nil, nil, nil
			}
			if err := st.CreateClaim(ctx, c, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: "submit",
				To: c.Status, ActorID: c.BuyerID, ActorRole: account.Buyer}, nil); err != nil {
				t.Fatal(err)
			}
		}
		lists := map[string]struct {
			f   claim.Filter
			key func(claim.Claim) *time.Time // nil: newest first
		}{
			"api, newest first": {claim.Filter{Status: []claim.Status{claim.Submitted, claim.UnderReview, claim.Approved}}, nil},
			"review queue": {claim.Filter{Status: claim.ReviewStatuses, Order: "review_due"},
				func(c claim.Claim) *time.Time { return c.ReviewDueAt }},
			"work list": {claim.Filter{Status: claim.AtCenterStatuses, Center: "BER", Order: "return_due"},
				func(c claim.Claim) *time.Time { return c.ReturnDueAt }},
			"filed": {claim.Filter{Status: statuses, Order: "created"},
				func(c claim.Claim) *time.Time { return &c.CreatedAt }},
		}
		for name, l := range lists {
			f := l.f
			f.Now, f.Limit = now, 200
			all, err := st.ListClaims(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(all)
			slices.SortStableFunc(want, func(a, b claim.Claim) int {
				if l.key == nil {
					return strings.Compare(b.ID, a.ID)
				}
				ka, kb := l.key(a), l.key(b)
				switch {
				case ka == nil && kb != nil:
					return -1
				case ka != nil && kb == nil:
					return 1
				case ka != nil && !ka.Equal(*kb):
					return ka.Compare(*kb)
				}
				return strings.Compare(a.ID, b.ID)
			})
			if len(want) < 8 || !slices.EqualFunc(all, want, func(a, b claim.Claim) bool { return a.ID == b.ID }) {
				t.Fatalf("%s: one page lists %d claims out of order: %v", name, len(all), ids(all))
			}
			var paged []claim.Claim
			f.Limit = 3
			for range 40 {
				page, err := st.ListClaims(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, page...)
				if len(page) < f.Limit {
					break
				}
				last := page[len(page)-1]
				f.After, f.AfterAt = last.ID, nil
				if l.key != nil {
					f.AfterAt = l.key(last)
				}
			}
			if got := ids(paged); !slices.Equal(got, ids(want)) {
				t.Errorf("%s: pages of 3 give\n%v\nwant\n%v", name, got, ids(want))
			}
		}
	})
}

func ids(cs []claim.Claim) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}
