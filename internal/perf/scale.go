package perf

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"rma/internal/store"
)

// Read is one of the reads whose curve over the number of claims is
// measured.
type Read struct {
	Name string
	Do   func() error
	// Aggregate says the read counts over every claim (the compliance
	// report): it may walk a whole index, never a table. Any other read
	// may only search, and may not sort every match of a growing table to
	// return a page of them.
	Aggregate bool
}

// ScaleReads are the reads the curve is drawn for: the claim read, the
// rep's queue (first page and a filtered page), the technician's work
// list, the admin dashboard and compliance report, and the sweep's page of
// due jobs.
func (e *Env) ScaleReads(ctx context.Context) ([]Read, error) {
	var rmas []string
	if err := e.Store.DB().WithContext(ctx).Raw(`SELECT rma_number FROM claims ORDER BY id DESC LIMIT 500`).Scan(&rmas).Error; err != nil {
		return nil, err
	}
	if len(rmas) == 0 {
		return nil, fmt.Errorf("no claims")
	}
	bearer := func(who string) []string { return []string{"Authorization", "Bearer " + e.Tokens[who]} }
	cookie := func(who string) []string { return []string{"Cookie", "rma_session=" + e.Tokens[who]} }
	api, site := e.Srv.URL+"/api/v1", e.Srv.URL
	now := time.Now().UTC()
	from, to := now.AddDate(0, 0, -30).Format("2006-01-02"), now.AddDate(0, 0, 30).Format("2006-01-02")
	return []Read{
		{Name: "claim read", Do: func() error {
			return get(e.Client, api+"/claims/"+rmas[rand.IntN(len(rmas))], 200, bearer("rep")...)
		}},
		{Name: "rep queue, first page", Do: func() error {
			return get(e.Client, api+"/claims?status=submitted,under_review,info_requested", 200, bearer("rep")...)
		}},
		{Name: "rep queue, filtered page", Do: func() error {
			return get(e.Client, api+"/claims?status=approved&center=BER&coverage=extended_warranty", 200, bearer("rep")...)
		}},
		{Name: "technician work list", Do: func() error { return get(e.Client, site+"/work", 200, cookie("tech")...) }},
		{Name: "admin dashboard", Do: func() error { return get(e.Client, site+"/admin", 200, cookie("admin")...) }},
		{Name: "compliance report", Do: func() error {
			return get(e.Client, api+"/admin/promises?from="+from+"&to="+to, 200, bearer("admin")...)
		}, Aggregate: true},
		{Name: "sweep's page of due jobs", Do: func() error {
			_, err := e.Store.DueJobs(ctx, time.Now().UTC(), time.Now().UTC(), nil, 200)
			return err
		}},
	}, nil
}

// Point is one read at one size.
type Point struct {
	Claims int
	Read   string
	Rate   float64
	P50    time.Duration
}

// Scale seeds up to each size in turn and measures every read there, and
// then the time `rma migrate` takes to add an index to claims.
func (e *Env) Scale(ctx context.Context, sizes []int, window time.Duration, out io.Writer) ([]Point, error) {
	var points []Point
	have := 0
	for _, n := range sizes {
		if n > have {
			start := time.Now()
			if _, err := e.Seed(ctx, n-have, out); err != nil {
				return points, err
			}
			d := time.Since(start)
			fmt.Fprintf(out, "\n%d claims (seeded %d in %.0f s, %.0f claims/s)\n", n, n-have, d.Seconds(), float64(n-have)/d.Seconds())
			have = n
		}
		reads, err := e.ScaleReads(ctx)
		if err != nil {
			return points, err
		}
		for _, r := range reads {
			for range 3 {
				if err := r.Do(); err != nil {
					return points, fmt.Errorf("%s: %w", r.Name, err)
				}
			}
			s, err := closedLoop(window, 2, r.Do)
			if err != nil {
				return points, fmt.Errorf("%s: %w", r.Name, err)
			}
			p := Point{Claims: n, Read: r.Name, Rate: s.rate(), P50: s.quantile(0.5)}
			points = append(points, p)
			fmt.Fprintf(out, "  %-28s %8.0f /s   p50 %s\n", p.Read, p.Rate, ms(p.P50))
		}
		d, err := e.timeIndex(ctx)
		if err != nil {
			return points, err
		}
		points = append(points, Point{Claims: n, Read: "migrate: add an index", P50: d})
		fmt.Fprintf(out, "  %-28s %8s      %s\n", "migrate: add an index", "", ms(d))
	}
	return points, nil
}

// timeIndex adds an index to claims as a migration would, and drops it.
func (e *Env) timeIndex(ctx context.Context) (time.Duration, error) {
	db := e.Store.DB().WithContext(ctx)
	start := time.Now()
	if err := db.Exec(`CREATE INDEX idx_perf_probe ON claims (updated_at)`).Error; err != nil {
		return 0, err
	}
	d := time.Since(start)
	drop := `DROP INDEX idx_perf_probe`
	if e.Store.Dialect() == store.MySQL {
		drop += ` ON claims`
	}
	return d, db.Exec(drop).Error
}

// Plan is a query a read made and how the database runs it.
type Plan struct {
	Read, SQL string
	Aggregate bool
	Lines     []string
	// FullScans are the growing tables read whole, without an index;
	// Walks the ones whose whole index is walked; Sorts the ones whose
	// rows are all sorted for an ORDER BY (the matches of the search),
	// rather than read in order from an index.
	FullScans, Walks, Sorts []string
}

// The tables that stay small whatever the number of claims (a full read
// of them is fine); any other table, or alias, read whole is reported.
var smallTables = []string{"claim_counts", "centers", "center_countries", "center_stock", "parts", "diagnosis_codes", "sellers", "webhooks", "<derived2>", "<derived3>", "past"}

// Plans runs each read once, captures the queries it makes and explains
// each on the database.
func (e *Env) Plans(ctx context.Context, reads []Read) ([]Plan, error) {
	db := e.Store.DB()
	var mu sync.Mutex
	var current *Read
	var caught []Plan
	const name = "perf:capture"
	capture := func(tx *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		if current != nil && tx.Statement.SQL.Len() > 0 {
			caught = append(caught, Plan{Read: current.Name, Aggregate: current.Aggregate,
				SQL: tx.Dialector.Explain(tx.Statement.SQL.String(), tx.Statement.Vars...)})
		}
	}
	if err := db.Callback().Query().After("gorm:query").Register(name, capture); err != nil {
		return nil, err
	}
	defer func() { _ = db.Callback().Query().Remove(name) }()
	if err := db.Callback().Row().After("gorm:row").Register(name, capture); err != nil {
		return nil, err
	}
	defer func() { _ = db.Callback().Row().Remove(name) }()
	if err := db.Callback().Raw().After("gorm:raw").Register(name, capture); err != nil {
		return nil, err
	}
	defer func() { _ = db.Callback().Raw().Remove(name) }()
	for _, r := range reads {
		mu.Lock()
		current = &r
		mu.Unlock()
		if err := r.Do(); err != nil {
			return nil, fmt.Errorf("%s: %w", r.Name, err)
		}
	}
	mu.Lock()
	current = nil
	plans := caught
	mu.Unlock()
	for i := range plans {
		lines, scans, walks, sorts, err := e.explain(ctx, plans[i].SQL)
		if err != nil {
			return nil, fmt.Errorf("explain %s: %w", plans[i].SQL, err)
		}
		plans[i].Lines, plans[i].FullScans, plans[i].Walks, plans[i].Sorts = lines, scans, walks, sorts
	}
	return plans, nil
}

// explain returns a query's plan, the growing tables it reads whole,
// those whose whole index it walks and those whose matches it sorts for an
// ORDER BY.
func (e *Env) explain(ctx context.Context, query string) (lines, scans, walks, sorts []string, err error) {
	db := e.Store.DB().WithContext(ctx)
	// A page (ORDER BY ... LIMIT n) must come from an index in its order:
	// sorting every match first grows with them.
	page := 0
	if _, limit, ok := strings.Cut(query, " LIMIT "); ok && strings.Contains(query, " ORDER BY ") && !strings.Contains(query, " GROUP BY ") {
		page, _ = strconv.Atoi(strings.Fields(limit)[0])
	}
	if e.Store.Dialect() == store.SQLite {
		var rows []struct {
			Detail string
		}
		if err := db.Raw("EXPLAIN QUERY PLAN " + query).Scan(&rows).Error; err != nil {
			return nil, nil, nil, nil, err
		}
		var big []string
		sorted := false
		for _, r := range rows {
			lines = append(lines, r.Detail)
			// "SCAN claims" reads the table; "SCAN claims USING (COVERING)
			// INDEX x" walks a whole index; "SEARCH" looks up. "USE TEMP
			// B-TREE FOR ORDER BY" sorts what was read ("FOR RIGHT PART OF
			// ORDER BY" only the ties of an index's order).
			verb, rest, _ := strings.Cut(r.Detail, " ")
			t, _, _ := strings.Cut(rest, " ")
			switch {
			case r.Detail == "USE TEMP B-TREE FOR ORDER BY":
				sorted = true
			case verb != "SCAN" && verb != "SEARCH" || !isBig(t):
			case verb == "SEARCH":
				big = append(big, t)
			case strings.Contains(rest, " USING "):
				walks, big = append(walks, t), append(big, t)
			default:
				scans, big = append(scans, t), append(big, t)
			}
		}
		if sorted && page > 0 {
			sorts = big
		}
		return lines, scans, walks, sorts, nil
	}
	var rows []map[string]any
	if err := db.Raw("EXPLAIN " + query).Scan(&rows).Error; err != nil {
		return nil, nil, nil, nil, err
	}
	for _, r := range rows {
		t, typ, key, extra := str(r["table"]), str(r["type"]), str(r["key"]), str(r["Extra"])
		lines = append(lines, fmt.Sprintf("%s type=%s key=%s rows=%v extra=%s", t, typ, key, r["rows"], extra))
		if !isBig(t) {
			continue
		}
		switch typ {
		case "ALL":
			scans = append(scans, t)
		case "index": // the whole index, in its order
			walks = append(walks, t)
		}
		// MariaDB sorts a range it expects to be smaller than the page
		// rather than read another index: no growth in that.
		if page > 0 && number(r["rows"]) > page && strings.Contains(extra, "Using filesort") {
			sorts = append(sorts, t)
		}
	}
	return lines, scans, walks, sorts, nil
}

// number reads a number from an EXPLAIN row, as the driver hands it over.
func number(v any) int {
	switch n := v.(type) {
	case int64:
		return int(n)
	case uint64:
		return int(n)
	case float64:
		return int(n)
	}
	n, _ := strconv.Atoi(str(v))
	return n
}

func isBig(table string) bool {
	for _, b := range smallTables {
		if table == b {
			return false
		}
	}
	return table != ""
}
