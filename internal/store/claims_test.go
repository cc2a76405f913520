package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	"gorm.io/gorm"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/order"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// fixture writes a center, a buyer, an order and one claim.
func fixture(t *testing.T, st *store.Store) claim.Claim {
	t.Helper()
	ctx := context.Background()
	if _, err := st.PutCenter(ctx, center.Center{Code: "BER", Name: "Berlin", Country: "DE", TimeZone: "Europe/Berlin",
		Address: []string{"a"}, Serves: []string{"DE"}}, now); err != nil {
		t.Fatal(err)
	}
	u := account.User{ID: ulid.Make().String(), Email: "b@example.com", Name: "B", PasswordHash: "x", Role: account.Buyer,
		Language: "en", Status: account.Active, CreatedAt: now}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutOrder(ctx, order.Order{Number: "O1", BuyerEmail: u.Email, BuyerName: "B", ShippingAddress: []string{"a"},
		CompletedAt: &now, Country: "DE", ProductName: "P", Category: "phone", Coverages: []coverage.Kind{coverage.ExtendedWarranty}}, now); err != nil {
		t.Fatal(err)
	}
	due := now.AddDate(0, 0, 7)
	c := claim.Claim{ID: ulid.Make().String(), RMANumber: claim.NewRMANumber(), Status: claim.Submitted,
		Coverage: coverage.ExtendedWarranty, OrderNumber: "O1", BuyerID: u.ID, BuyerEmail: u.Email, Language: "en",
		IMEI: "490154203237518", Description: "d", CenterCode: "BER", CreatedAt: now, UpdatedAt: now, ReviewDueAt: &due, Version: 1}
	if err := st.CreateClaim(ctx, c, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: "submit",
		To: claim.Submitted, ActorID: u.ID, ActorRole: account.Buyer}, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// countQueries counts the SQL statements GORM runs on db.
func countQueries(db *gorm.DB) *atomic.Int64 {
	var n atomic.Int64
	inc := func(*gorm.DB) { n.Add(1) }
	_ = db.Callback().Query().After("gorm:query").Register("test:count_query", inc)
	_ = db.Callback().Row().After("gorm:row").Register("test:count_row", inc)
	_ = db.Callback().Raw().After("gorm:raw").Register("test:count_raw", inc)
	return &n
}

// TestClaimReadIsAFixedNumberOfQueries: the buyers' polling read costs the
// same few queries however long the timeline grows.
func TestClaimReadIsAFixedNumberOfQueries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := fixture(t, st)
		ctx := context.Background()
		counter := countQueries(st.DB())
		counts := map[int]int64{}
		for events := 1; events <= 41; events++ {
			if events == 1 || events == 41 {
				counter.Store(0)
				v, err := st.ClaimView(ctx, c.RMANumber)
				if err != nil || len(v.Events) != events || v.Center.Name != "Berlin" {
					t.Fatalf("view: %v, %d events", err, len(v.Events))
				}
				counts[events] = counter.Load()
			}
			prev := c.Version
			c.Version++
			if err := st.UpdateClaim(ctx, c, prev, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now,
				Action: "pick", From: c.Status, To: c.Status, ActorID: "x", ActorRole: account.Rep}, nil); err != nil {
				t.Fatal(err)
			}
		}
		// the claim, its events, its center and its promises
		if counts[1] != 4 || counts[41] != 4 {
			t.Errorf("queries for 1 and 41 events: %v, want 4 each", counts)
		}
	})
}

func TestStaleUpdateWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := fixture(t, st)
		ctx := context.Background()
		c.Status = claim.Approved
		err := st.UpdateClaim(ctx, c, c.Version+5, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now,
			Action: "approve", From: claim.Submitted, To: claim.Approved, ActorID: "x", ActorRole: account.Rep}, nil)
		if !errors.Is(err, fault.ErrStale) {
			t.Fatalf("stale update: %v", err)
		}
		v, _ := st.ClaimView(ctx, c.RMANumber)
		if v.Claim.Status != claim.Submitted || len(v.Events) != 1 {
			t.Errorf("stale update wrote: %s, %d events", v.Claim.Status, len(v.Events))
		}
	})
}

// TestEveryQueueFilterUsesAnIndex asks the database's planner how it runs
// each filter of the claim list: it refuses a full scan of claims and wants
// the plan to name the index meant for the filter (on SQLite the index the
// search uses, with its leading column; on MySQL, whose optimizer prefers the
// primary key on tables this small, the index among the possible keys).
func TestEveryQueueFilterUsesAnIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		fixture(t, st)
		anyStatus := []string{"idx_claims_status_id(status", "idx_claims_status_review_id(status", "idx_claims_status_ship_by(status", "idx_claims_status_return(status"}
		filters := map[string]struct {
			f claim.Filter
			// each group needs one of its indexes in the plan
			want [][]string
		}{
			"buyer":    {claim.Filter{BuyerID: "01J0000000000000000000000A"}, [][]string{{"idx_claims_buyer(buyer_id"}}},
			"center":   {claim.Filter{Center: "BER"}, [][]string{{"idx_claims_center_status_return(center_code"}}},
			"status":   {claim.Filter{Status: []claim.Status{claim.Submitted, claim.UnderReview}}, [][]string{anyStatus}},
			"coverage": {claim.Filter{Coverage: coverage.AccidentalDamage}, [][]string{{"idx_claims_coverage_status(coverage"}}},
			"overdue": {claim.Filter{Overdue: true}, [][]string{{"idx_claims_status_review_id(status"},
				{"idx_claims_status_ship_by(status"}, {"idx_claims_status_return(status"}}},
			"country": {claim.Filter{Country: "DE"}, [][]string{{"idx_claims_order(order_number"}}},
			"device":  {claim.Filter{Device: "490154203237518"}, [][]string{{"idx_claims_imei(imei"}}},
			"queue": {claim.Filter{Status: []claim.Status{claim.Submitted}, Order: "review_due"},
				[][]string{anyStatus}},
		}
		for name, c := range filters {
			f := c.f
			f.Now, f.Limit = now, 50
			sql := store.ListClaimsSQL(st, f)
			plan := explain(t, st, sql)
			if usesFullScan(st.Dialect(), plan) {
				t.Errorf("%s filter scans the whole table:\n%s\n%s", name, sql, plan)
			}
			for _, group := range c.want {
				if !namesIndex(st.Dialect(), plan, group) {
					t.Errorf("%s filter: the plan names none of %v:\n%s\n%s", name, group, sql, plan)
				}
			}
		}
	})
}

// TestListPagesReadTheirIndexInOrder: a list of several statuses is read
// one status at a time (ListClaims merges the pages), and each of those
// reads must seek to a range of an index already in the page's order, so
// that it stops after a page whatever the number of matching claims. A
// plan that sorts the matches first ("USE TEMP B-TREE FOR ORDER BY" on
// SQLite, the whole order rather than its tie-breaking right part) grows
// with them. MySQL's choice on a table of one row says nothing about a
// large one; TestScaleReadsUseIndexes checks it on a seeded database.
func TestListPagesReadTheirIndexInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		fixture(t, st)
		due := now.AddDate(0, 0, 3)
		one := func(s claim.Status) []claim.Status { return []claim.Status{s} }
		pages := map[string]struct {
			f     claim.Filter
			index string
		}{
			"newest first":        {claim.Filter{Status: one(claim.Submitted)}, "idx_claims_status_id(status"},
			"newest, next page":   {claim.Filter{Status: one(claim.Submitted), After: "01J0000000000000000000000A"}, "idx_claims_status_id(status"},
			"status center cover": {claim.Filter{Status: one(claim.Approved), Center: "BER", Coverage: coverage.ExtendedWarranty}, "idx_claims_status_center_coverage(status"},
			"review queue":        {claim.Filter{Status: one(claim.Submitted), Order: "review_due"}, "idx_claims_status_review_id(status"},
			"review, next page": {claim.Filter{Status: one(claim.Submitted), Order: "review_due", AfterAt: &due,
				After: "01J0000000000000000000000A"}, "idx_claims_status_review_id(status"},
			"work list": {claim.Filter{Status: one(claim.Received), Center: "BER", Order: "return_due"}, "idx_claims_center_status_return(center_code"},
			"work, next page": {claim.Filter{Status: one(claim.Received), Center: "BER", Order: "return_due", AfterAt: &due,
				After: "01J0000000000000000000000A"}, "idx_claims_center_status_return(center_code"},
			"overdue review":  {claim.Filter{Status: one(claim.UnderReview), Overdue: true, Order: "due"}, "idx_claims_status_review_id(status"},
			"overdue ship-by": {claim.Filter{Status: one(claim.Approved), Overdue: true, Order: "due"}, "idx_claims_status_ship_by(status"},
		}
		for name, p := range pages {
			f := p.f
			f.Now, f.Limit = now, 50
			sql := store.ListClaimsSQL(st, f)
			plan := explain(t, st, sql)
			if usesFullScan(st.Dialect(), plan) || !namesIndex(st.Dialect(), plan, []string{p.index}) {
				t.Errorf("%s: the plan does not seek %s:\n%s\n%s", name, p.index, sql, plan)
			}
			if st.Dialect() == store.SQLite && strings.Contains(plan, "USE TEMP B-TREE FOR ORDER BY") {
				t.Errorf("%s: the plan sorts every match:\n%s\n%s", name, sql, plan)
			}
		}
	})
}

// namesIndex reports whether the plan of the claims table names one of the
// indexes, each written "name(leading_column".
func namesIndex(d store.Dialect, plan string, indexes []string) bool {
	for _, ix := range indexes {
		name, col, _ := strings.Cut(ix, "(")
		for _, line := range strings.Split(plan, "\n") {
			if d == store.SQLite && strings.Contains(line, "SEARCH claims USING INDEX "+name+" ("+col+"=") ||
				d == store.SQLite && strings.Contains(line, "SEARCH claims USING INDEX "+name+" ("+col+">") ||
				d == store.SQLite && strings.Contains(line, "SEARCH claims USING INDEX "+name+" ("+col+"<") {
				return true
			}
			if d == store.MySQL && strings.Contains(line, "table=claims ") {
				for _, field := range strings.Fields(line) {
					k, v, _ := strings.Cut(field, "=")
					if (k == "possible_keys" || k == "key") && slices.Contains(strings.Split(v, ","), name) {
						return true
					}
				}
			}
		}
	}
	return false
}

func explain(t *testing.T, st *store.Store, sql string) string {
	t.Helper()
	prefix := "EXPLAIN "
	if st.Dialect() == store.SQLite {
		prefix = "EXPLAIN QUERY PLAN "
	}
	rows, err := st.DB().Raw(prefix + sql).Rows()
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, c := range cols {
			fmt.Fprintf(&b, "%s=%s ", c, asString(vals[i]))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func asString(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}

// usesFullScan reads a plan: SQLite says "SCAN claims" without an index;
// MySQL gives type=ALL with no possible key. MySQL's optimizer may still
// prefer a scan of a one-row table, so there the test asks that an index
// is possible.
func usesFullScan(d store.Dialect, plan string) bool {
	if d == store.SQLite {
		for _, line := range strings.Split(plan, "\n") {
			if strings.Contains(line, "SCAN claims") && !strings.Contains(line, "INDEX") {
				return true
			}
		}
		return false
	}
	return strings.Contains(plan, "possible_keys=<nil>") || strings.Contains(plan, "possible_keys=NULL")
}
