package perf

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/claim"
	"rma/internal/imei"
)

// TestSeededClaimsAreWhole: seeded claims have what real claims have, each
// its own: events (the first a submit, the last leading to the claim's
// status), promises, jobs whose events are the claim's own, an order, a
// valid RMA number and IMEI, ids that carry their rows' times, and the
// service reads them as it reads any claim. The realistic mix spreads them
// over two years, the older ones finished with no job left and nothing in
// the future, the recent ones open with no job overdue; the open mix has
// open claims only.
func TestSeededClaimsAreWhole(t *testing.T) {
	for _, target := range Targets() {
		t.Run(target.Name(), func(t *testing.T) {
			ctx := context.Background()
			e, err := Open(ctx, target)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			const n = 600
			if got, err := e.Seed(ctx, n, nil); err != nil || got != n {
				t.Fatalf("seeded %d: %v", got, err)
			}
			statuses := checkSeeded(t, e, n)
			for _, s := range []claim.Status{claim.Closed, claim.Rejected, claim.Cancelled, claim.Expired, claim.Abandoned} {
				if statuses[s] == 0 {
					t.Errorf("no %s claim among %v", s, statuses)
				}
			}
			open := 0
			for s, c := range statuses {
				if !s.Terminal() {
					open += c
				}
			}
			if open == 0 || open > n/10 {
				t.Errorf("%d open claims of %d: %v", open, n, statuses)
			}
			db := e.Store.DB()
			now := time.Now().UTC()
			var late, future []string
			db.Raw(`SELECT id FROM jobs WHERE done_at IS NULL AND dead_at IS NULL AND run_at < ?`, now.Add(-time.Minute)).Scan(&late)
			if len(late) > 0 {
				t.Errorf("%d jobs overdue, e.g. %s", len(late), late[0])
			}
			db.Raw(`SELECT c.rma_number FROM claims c JOIN claim_events e ON e.claim_id = c.id WHERE e.at > ? OR c.updated_at > ?`, now, now).Scan(&future)
			if len(future) > 0 {
				t.Errorf("%d claims with events in the future, e.g. %s", len(future), future[0])
			}
			var oldest time.Time
			db.Raw(`SELECT MIN(created_at) FROM claims`).Scan(&oldest)
			if now.Sub(oldest) < 365*24*time.Hour {
				t.Errorf("the oldest claim was filed %s ago", now.Sub(oldest))
			}
			var states []string
			db.Raw(`SELECT DISTINCT state FROM promises`).Scan(&states)
			if !slices.Contains(states, "kept") || !slices.Contains(states, "broken") {
				t.Errorf("promise states %v: want kept and broken ones", states)
			}

			e.Mix = MixOpen
			if got, err := e.Seed(ctx, 60, nil); err != nil || got != 60 {
				t.Fatalf("seeded %d open: %v", got, err)
			}
			var recent []string
			db.Raw(`SELECT status FROM claims WHERE order_number > ?`, fmt.Sprintf("ORD-S%08d", n)).Scan(&recent)
			seen := map[string]bool{}
			for _, s := range recent {
				if claim.Status(s).Terminal() {
					t.Errorf("the open mix seeded a %s claim", s)
				}
				seen[s] = true
			}
			if len(recent) != 60 || len(seen) < 5 {
				t.Errorf("the open mix seeded %d claims in %v", len(recent), seen)
			}
			checkSeeded(t, e, n+60)
		})
	}
}

// checkSeeded checks what holds of every seeded claim, whatever the mix,
// and returns how many claims there are of each status.
func checkSeeded(t *testing.T, e *Env, n int) map[claim.Status]int {
	t.Helper()
	db := e.Store.DB()
	var terminal []string
	for _, s := range claim.Statuses {
		if s.Terminal() {
			terminal = append(terminal, string(s))
		}
	}
	for _, q := range []string{
		`SELECT c.rma_number FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claim_events e WHERE e.claim_id = c.id AND e.action = 'submit')`,
		`SELECT c.rma_number FROM claims c WHERE c.status <> (SELECT e.to_status FROM claim_events e WHERE e.claim_id = c.id ORDER BY e.id DESC LIMIT 1)`,
		`SELECT c.rma_number FROM claims c WHERE NOT EXISTS (SELECT 1 FROM promises p WHERE p.claim_id = c.id)`,
		`SELECT c.rma_number FROM claims c WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.claim_id = c.id)`,
		`SELECT c.rma_number FROM claims c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.number = c.order_number AND o.imei = c.imei)`,
		`SELECT j.id FROM jobs j WHERE j.event_id IS NOT NULL AND NOT EXISTS
			(SELECT 1 FROM claim_events e WHERE e.id = j.event_id AND e.claim_id = j.claim_id)`,
		`SELECT order_number FROM claims GROUP BY order_number HAVING COUNT(*) > 1`,
		`SELECT j.id FROM jobs j JOIN claims c ON c.id = j.claim_id WHERE c.status IN ('` + strings.Join(terminal, "', '") + `')
			AND j.done_at IS NULL AND j.dead_at IS NULL`,
		`SELECT rma_number FROM claims WHERE status IN ('` + strings.Join(terminal, "', '") + `', 'delivered') AND open_imei IS NOT NULL`,
		`SELECT rma_number FROM claims WHERE status NOT IN ('` + strings.Join(terminal, "', '") + `', 'delivered')
			AND (open_imei IS NULL OR open_imei <> imei OR open_device <> imei)`,
		`SELECT c.rma_number FROM claims c JOIN claim_events e ON e.claim_id = c.id WHERE e.at < c.created_at`,
	} {
		var got []string
		if err := db.Raw(q).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if len(got) > 0 {
			t.Errorf("%d broken by:\n%s", len(got), q)
		}
	}
	var rows []struct {
		ID, RMANumber, IMEI, Status string
		CreatedAt                   time.Time
	}
	if err := db.Raw(`SELECT id, rma_number, imei, status, created_at FROM claims`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != n {
		t.Errorf("%d claims, want %d", len(rows), n)
	}
	statuses := map[claim.Status]int{}
	read := map[claim.Status]bool{}
	for _, r := range rows {
		if got, ok := claim.NormalizeRMANumber(r.RMANumber); !ok || got != r.RMANumber {
			t.Errorf("RMA number %q is not valid", r.RMANumber)
		}
		if !imei.Valid(r.IMEI) {
			t.Errorf("%s: IMEI %q is not valid", r.RMANumber, r.IMEI)
		}
		if id, err := ulid.Parse(r.ID); err != nil || id.Time() != uint64(r.CreatedAt.UnixMilli()) {
			t.Errorf("%s: id %s does not carry its filing time %s", r.RMANumber, r.ID, r.CreatedAt)
		}
		s := claim.Status(r.Status)
		statuses[s]++
		if read[s] {
			continue
		}
		read[s] = true
		v, err := e.App.Claims.Get(context.Background(), e.Users["rep"].Actor(), r.RMANumber)
		if err != nil {
			t.Fatalf("%s: %v", r.RMANumber, err)
		}
		if len(v.Events) == 0 || len(v.Claim.Promises) == 0 {
			t.Errorf("%s: %d events, %d promises", r.RMANumber, len(v.Events), len(v.Claim.Promises))
		}
	}
	return statuses
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
