package perf

import (
	"context"
	"strings"
	"testing"

	"rma/internal/claim"
)

// TestSeededClaimsAreWhole: seeded claims have what real claims have, each
// its own: events (the first a submit), promises, jobs whose events are the
// claim's own, an order, and the service reads them as it reads any claim.
func TestSeededClaimsAreWhole(t *testing.T) {
	for _, target := range Targets() {
		t.Run(target.Name(), func(t *testing.T) {
			ctx := context.Background()
			e, err := Open(ctx, target)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			if n, err := e.Seed(ctx, 40, nil); err != nil || n != 40 {
				t.Fatalf("seeded %d: %v", n, err)
			}
			db := e.Store.DB()
			var bad []string
			for _, q := range []string{
				`SELECT c.rma_number FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claim_events e WHERE e.claim_id = c.id AND e.action = 'submit')`,
				`SELECT c.rma_number FROM claims c WHERE NOT EXISTS (SELECT 1 FROM promises p WHERE p.claim_id = c.id)`,
				`SELECT c.rma_number FROM claims c WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.claim_id = c.id)`,
				`SELECT c.rma_number FROM claims c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.number = c.order_number)`,
				`SELECT j.id FROM jobs j WHERE j.event_id IS NOT NULL AND NOT EXISTS
					(SELECT 1 FROM claim_events e WHERE e.id = j.event_id AND e.claim_id = j.claim_id)`,
				`SELECT order_number FROM claims GROUP BY order_number HAVING COUNT(*) > 1`,
			} {
				var got []string
				if err := db.Raw(q).Scan(&got).Error; err != nil {
					t.Fatal(err)
				}
				if len(got) > 0 {
					bad = append(bad, q)
				}
			}
			if len(bad) > 0 {
				t.Errorf("broken invariants:\n%s", strings.Join(bad, "\n"))
			}
			var rmas []string
			db.Raw(`SELECT rma_number FROM claims ORDER BY id DESC LIMIT 8`).Scan(&rmas)
			statuses := map[claim.Status]bool{}
			for _, rma := range rmas {
				v, err := e.App.Claims.Get(ctx, e.Users["rep"].Actor(), rma)
				if err != nil {
					t.Fatalf("%s: %v", rma, err)
				}
				if len(v.Events) == 0 || len(v.Claim.Promises) == 0 {
					t.Errorf("%s: %d events, %d promises", rma, len(v.Events), len(v.Claim.Promises))
				}
				statuses[v.Claim.Status] = true
			}
			if len(statuses) < 4 {
				t.Errorf("seeded states: %v", statuses)
			}
		})
	}
}

// TestScaleReadsUseIndexes: every query of the reads the scale curve
// measures is explained on the database: none reads a table that grows
// with the claims whole, and none but the compliance report's walks a
// whole index of one or sorts every match of its search to return a page
// (a list reads each status's index range in the page's order; the
// dashboard reads kept counts, bounded counts and index ranges).
func TestScaleReadsUseIndexes(t *testing.T) {
	for _, target := range Targets() {
		t.Run(target.Name(), func(t *testing.T) {
			ctx := context.Background()
			e, err := Open(ctx, target)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			if _, err := e.Seed(ctx, 300, nil); err != nil {
				t.Fatal(err)
			}
			if e.Store.Dialect() == "mysql" {
				for _, table := range []string{"claims", "claim_events", "promises", "jobs", "orders"} {
					e.Store.DB().Exec("ANALYZE TABLE " + table)
				}
			}
			reads, err := e.ScaleReads(ctx)
			if err != nil {
				t.Fatal(err)
			}
			plans, err := e.Plans(ctx, reads)
			if err != nil {
				t.Fatal(err)
			}
			if len(plans) < len(reads) {
				t.Fatalf("%d queries caught for %d reads", len(plans), len(reads))
			}
			for _, p := range plans {
				if len(p.FullScans) > 0 || !p.Aggregate && (len(p.Walks) > 0 || len(p.Sorts) > 0) {
					t.Errorf("%s reads %v whole, walks %v, sorts %v:\n%s\n%s", p.Read, p.FullScans, p.Walks, p.Sorts, p.SQL, strings.Join(p.Lines, "\n"))
				}
			}
		})
	}
}
