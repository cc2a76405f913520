package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/fault"
	"rma/internal/promise"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// countsByTable reads claim_counts and a real count of the claims, by
// center and status (rows of zero left out).
func countsByTable(t *testing.T, st *store.Store) (kept, counted map[string]int) {
	t.Helper()
	read := func(q string) map[string]int {
		var rows []struct {
			CenterCode, Status string
			N                  int
		}
		if err := st.DB().Raw(q).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, r := range rows {
			if r.N != 0 {
				out[r.CenterCode+"/"+r.Status] = r.N
			}
		}
		return out
	}
	return read(`SELECT center_code, status, n FROM claim_counts`),
		read(`SELECT center_code, status, COUNT(*) AS n FROM claims GROUP BY center_code, status`)
}

func sameCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestClaimCountsStayExactUnderRacingTransitions files claims and moves
// them between statuses and two centers from eight writers at once, two of
// them racing for each claim (the loser of a race gets fault.ErrStale and
// reads again): afterwards the kept counts equal a COUNT(*) of the claims,
// and the dashboard's open counts are those counts without the closed
// statuses. A count moved outside the claim's transaction, or moved by a
// write that lost its race, would leave them apart.
func TestClaimCountsStayExactUnderRacingTransitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		base := fixture(t, st)
		if _, err := st.PutCenter(ctx, center.Center{Code: "MAD", Name: "Madrid", Country: "ES", TimeZone: "Europe/Madrid",
			Address: []string{"a"}, Serves: []string{"ES"}}, now); err != nil {
			t.Fatal(err)
		}
		var rmas []string
		var mu sync.Mutex
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for w := range 4 { // four writers file twelve claims each, at once
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 12 {
					c := base
					c.ID, c.RMANumber, c.IMEI = ulid.Make().String(), claim.NewRMANumber(), fmt.Sprintf("35693803%02d%05d", w, i)
					if err := st.CreateClaim(ctx, c, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now,
						Action: "submit", To: claim.Submitted, ActorID: c.BuyerID, ActorRole: account.Buyer}, nil); err != nil {
						errs <- err
						return
					}
					mu.Lock()
					rmas = append(rmas, c.RMANumber)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		statuses := []claim.Status{claim.UnderReview, claim.Approved, claim.Received, claim.Repairing, claim.Closed, claim.Rejected}
		for w := range 8 { // each claim has two writers, which race
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 7))
				for i := w % 4; i < len(rmas); i += 4 {
					for step := 0; step < 4; {
						c, err := st.ClaimByRMA(ctx, rmas[i])
						if err != nil {
							errs <- err
							return
						}
						from, prev := c.Status, c.Version
						c.Status, c.Version, c.UpdatedAt = statuses[rng.IntN(len(statuses))], prev+1, now.Add(time.Duration(step)*time.Minute)
						if rng.IntN(3) == 0 {
							c.CenterCode = map[string]string{"BER": "MAD", "MAD": "BER"}[c.CenterCode]
						}
						err = st.UpdateClaim(ctx, c, prev, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: c.UpdatedAt,
							Action: "move", From: from, To: c.Status, ActorID: "x", ActorRole: account.Rep}, nil)
						switch {
						case errors.Is(err, fault.ErrStale): // the other writer moved it: read again
						case err != nil:
							errs <- err
							return
						default:
							step++
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		kept, counted := countsByTable(t, st)
		if !sameCounts(kept, counted) || len(counted) < 4 {
			t.Fatalf("kept counts %v, claims counted %v", kept, counted)
		}
		open, err := st.OpenCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{}
		for k, n := range counted {
			if k[len(k)-len("/closed"):] != "/closed" && k[len(k)-len("/rejected"):] != "/rejected" {
				want[k] = n
			}
		}
		got := map[string]int{}
		for _, sc := range open {
			got[sc.CenterCode+"/"+string(sc.Status)] = sc.N
		}
		if !sameCounts(got, want) {
			t.Errorf("open counts %v, want %v", got, want)
		}
	})
}

// TestRebuildClaimCounts: after claims are written around the store (a
// bulk load), rebuilding the counts makes them a count of the claims again.
func TestRebuildClaimCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := fixture(t, st)
		if err := st.DB().Exec("UPDATE claims SET status = ? WHERE id = ?", string(claim.Approved), c.ID).Error; err != nil {
			t.Fatal(err)
		}
		if kept, counted := countsByTable(t, st); sameCounts(kept, counted) {
			t.Fatalf("a write around the store left the counts right: %v", kept)
		}
		if err := st.RebuildClaimCounts(ctx); err != nil {
			t.Fatal(err)
		}
		if kept, counted := countsByTable(t, st); !sameCounts(kept, counted) || counted["BER/approved"] != 1 {
			t.Errorf("rebuilt counts %v, claims counted %v", kept, counted)
		}
	})
}

// TestCountPastDueStopsAtItsBound: the open promises past their date are
// counted exactly up to the bound, and beyond it the answer is the bound
// plus one (the page's "1000+"); promises kept, not yet due or of another
// kind are not counted.
func TestCountPastDueStopsAtItsBound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		base := fixture(t, st)
		for i := range 5 {
			c := base
			c.ID, c.RMANumber, c.IMEI = ulid.Make().String(), claim.NewRMANumber(), fmt.Sprintf("3569380377%05d", i)
			late := promise.Make(ulid.Make().String(), promise.Answer, now.Add(-72*time.Hour), now.Add(-time.Duration(i+1)*time.Hour))
			ahead := promise.Make(ulid.Make().String(), promise.ShipBy, now, now.Add(time.Hour))
			other := promise.Make(ulid.Make().String(), promise.SellerResponse, now.Add(-72*time.Hour), now.Add(-time.Hour))
			c.Promises = []promise.Promise{late, ahead, other}
			if i == 4 {
				c.Promises[0].State = promise.Kept
			}
			if err := st.CreateClaim(ctx, c, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now,
				Action: "submit", To: claim.Submitted, ActorID: c.BuyerID, ActorRole: account.Buyer}, nil); err != nil {
				t.Fatal(err)
			}
		}
		kinds := []promise.Kind{promise.Answer, promise.ShipBy, promise.Return}
		for most, want := range map[int]int{10: 4, 4: 4, 3: 4, 2: 3} {
			if n, err := st.CountPastDue(ctx, kinds, now, most); err != nil || n != want {
				t.Errorf("counted up to %d: %d (%v), want %d", most, n, err, want)
			}
		}
	})
}
