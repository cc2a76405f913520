package perf

import (
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"

	"rma/internal/app"
	"rma/internal/claim"
	"rma/internal/config"
	"rma/internal/coverage"
	"rma/internal/imei"
	"rma/internal/order"
)

// A template is one claim the real services made, with every row that
// belongs to it: the seeder copies it, so that seeded claims have exactly
// the events, promises, jobs and workshop records real claims of that state
// have.
type template struct {
	name   string
	status claim.Status
	// weight is how often the template is copied among those whose ages
	// fit a claim's age.
	weight int
	// A copy may be filed between minAge and maxAge ago: no later than its
	// last row's time allows (nothing of it in the future), and, for an
	// open claim, no earlier than its first pending job (which the sweep
	// would already have run).
	minAge, maxAge time.Duration
	created        time.Time // when the template claim was filed
	rma            string
	rows           map[string]*tableRows
}

// tableRows are a template's rows of one table, in the order of its ids.
type tableRows struct {
	cols []string
	rows [][]any
}

// copied are the tables a template is copied from, parents first. A
// claim's kept e-mails (mail, tens of kilobytes each), slips (rendered on
// download) and attachments (files) are not copied: no read the curve
// measures touches them, and their bytes would dwarf the rest.
var copied = []string{"orders", "claims", "claim_events", "promises", "jobs", "intake_checks",
	"claim_diagnoses", "claim_parts", "claim_notes"}

// maxOpenAge bounds how long ago an open template may be filed.
const maxOpenAge = 30 * 24 * time.Hour

// A story drives one claim through the services on a virtual clock: filed,
// then each step after its delay. An open story ends hold after its last
// step; a finished one runs its jobs until none is left.
type story struct {
	name   string
	weight int
	open   bool
	hold   time.Duration
	steps  []step
}

type step struct {
	after time.Duration
	do    func(ctx context.Context, m *maker, rma string) error
}

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

// stories are the claims copied. The open ones are those a recent claim is
// in; the finished ones (closed after a repair, a replacement or a return
// unrepaired, on time or late; rejected, on time or late; cancelled;
// expired; abandoned) make up the older claims, weighted roughly as a
// marketplace's outcomes fall.
var stories = []story{
	{name: "submitted", weight: 10, open: true, hold: time.Minute},
	{name: "waiting on a question", weight: 4, open: true, hold: time.Minute, steps: []step{
		{3 * hour, byPick}, {hour, byAsk}}},
	{name: "approved", weight: 10, open: true, hold: time.Minute, steps: []step{{20 * hour, byApprove}}},
	{name: "approved, reminded", weight: 10, open: true, hold: 2 * day, steps: []step{{20 * hour, byApprove}}},
	{name: "approved, device awaited", weight: 20, open: true, hold: 8 * day, steps: []step{{20 * hour, byApprove}}},
	{name: "received", weight: 15, open: true, hold: time.Minute, steps: []step{
		{20 * hour, byApprove}, {3 * day, bySend}, {4 * day, byReceive}}},
	{name: "repairing", weight: 15, open: true, hold: time.Minute, steps: []step{
		{20 * hour, byApprove}, {3 * day, bySend}, {4 * day, byReceive}, {day, byDiagnose}, {day, byDecide(claim.DecisionRepair)}}},
	{name: "shipped back", weight: 10, open: true, hold: 6 * day, steps: []step{
		{20 * hour, byApprove}, {3 * day, bySend}, {4 * day, byReceive}, {day, byDiagnose}, {day, byDecide(claim.DecisionRepair)},
		{3 * day, byReady}, {2 * hour, byShipBack}}},
	{name: "closed after a repair", weight: 40, steps: []step{
		{20 * hour, byApprove}, {day, bySend}, {2 * day, byReceive}, {2 * hour, byDiagnose}, {3 * hour, byDecide(claim.DecisionRepair)},
		{2 * day, byReady}, {2 * hour, byShipBack}, {2 * day, byDeliver}}},
	{name: "closed after a replacement", weight: 12, steps: []step{
		{20 * hour, byApprove}, {day, bySend}, {2 * day, byReceive}, {2 * hour, byDiagnose}, {3 * hour, byDecide(claim.DecisionReplace)},
		{day, byReady}, {2 * hour, byShipBack}, {2 * day, byDeliver}}},
	{name: "closed, returned unrepaired", weight: 5, steps: []step{
		{20 * hour, byApprove}, {day, bySend}, {2 * day, byReceive}, {2 * hour, byDiagnose}, {3 * hour, byDecide(claim.DecisionReturnUnrepaired)},
		{hour, byReady}, {2 * hour, byShipBack}}},
	{name: "closed, returned late", weight: 5, steps: []step{
		{20 * hour, byApprove}, {day, bySend}, {2 * day, byReceive}, {3 * day, byDiagnose}, {5 * day, byDecide(claim.DecisionRepair)},
		{8 * day, byReady}, {day, byShipBack}}},
	{name: "rejected", weight: 12, steps: []step{{20 * hour, byReject}}},
	{name: "rejected late", weight: 3, steps: []step{{9 * day, byReject}}},
	{name: "cancelled", weight: 5, steps: []step{{20 * hour, byApprove}, {2 * day, byCancel}}},
	{name: "expired", weight: 6, steps: []step{{20 * hour, byApprove}}},
	{name: "abandoned", weight: 3, steps: []step{{3 * hour, byPick}, {hour, byAsk}}},
}

func byPick(ctx context.Context, m *maker, rma string) error {
	_, err := m.app.Claims.Pick(ctx, m.env.Users["rep"].Actor(), rma)
	return err
}

func byAsk(ctx context.Context, m *maker, rma string) error {
	_, err := m.app.Claims.RequestInfo(ctx, m.env.Users["rep"].Actor(), rma, "Which cable did you try?")
	return err
}

func byApprove(ctx context.Context, m *maker, rma string) error {
	_, err := m.app.Claims.Approve(ctx, m.env.Users["rep"].Actor(), rma, "Covered.")
	return err
}

func byReject(ctx context.Context, m *maker, rma string) error {
	_, err := m.app.Claims.Reject(ctx, m.env.Users["rep"].Actor(), rma, "user_damage", "The port is bent.")
	return err
}

func byCancel(ctx context.Context, m *maker, rma string) error {
	_, err := m.app.Claims.Cancel(ctx, m.env.Users["buyer"].Actor(), rma, "It works again.")
	return err
}

func bySend(ctx context.Context, m *maker, rma string) error {
	_, err := m.app.Claims.MarkSent(ctx, m.env.Users["buyer"].Actor(), rma, "DHL", "JD0001234567")
	return err
}

func byReceive(ctx context.Context, m *maker, rma string) error {
	_, _, err := m.app.Claims.Receive(ctx, m.env.Users["tech"].Actor(), rma, "")
	return err
}

func byDiagnose(ctx context.Context, m *maker, rma string) error {
	_, err := m.app.Claims.StartDiagnosis(ctx, m.env.Users["tech"].Actor(), rma)
	return err
}

func byDecide(decision string) func(ctx context.Context, m *maker, rma string) error {
	return func(ctx context.Context, m *maker, rma string) error {
		d := claim.Diagnosis{Findings: "Charging port worn out.", Decision: decision}
		switch decision {
		case claim.DecisionReplace:
			d.Findings, d.ReplacementIMEI = "Board damaged beyond repair.", imei.WithCheckDigit("35999999000001")
		case claim.DecisionReturnUnrepaired:
			d.Findings, d.ReasonCode = "Charges with every cable tried.", claim.UnrepairedNoFault
		}
		_, err := m.app.Claims.Decide(ctx, m.env.Users["tech"].Actor(), rma, d)
		return err
	}
}

func byReady(ctx context.Context, m *maker, rma string) error {
	_, err := m.app.Claims.MarkReady(ctx, m.env.Users["tech"].Actor(), rma, "Passed the checks.")
	return err
}

func byShipBack(ctx context.Context, m *maker, rma string) error {
	_, err := m.app.Claims.ShipBack(ctx, m.env.Users["tech"].Actor(), rma, "DHL", "JR0007654321")
	return err
}

func byDeliver(ctx context.Context, m *maker, rma string) error {
	_, err := m.app.Claims.Deliver(ctx, m.env.Users["buyer"].Actor(), rma)
	return err
}

// vclock is the virtual clock the template claims live on.
type vclock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *vclock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *vclock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// maker runs the stories: a second instance of the service on the same
// database, on a virtual clock, whose sweep runs every job as soon as it is
// due (as a running worker would).
type maker struct {
	env   *Env
	app   *app.App
	clock *vclock
}

// storySlot is the virtual time each story has to itself, so that no
// story's jobs fall due during another's: whole weeks, so that every story
// files on the same weekday and working days fall alike.
const storySlot = 17 * 7 * day

// templates drives every story through the services, years before the
// real clock (so that nothing of theirs is due for the service the reads
// run on) and reads back each claim with its rows.
func (e *Env) templates(ctx context.Context) ([]template, error) {
	if e.tmpl != nil {
		return e.tmpl, nil
	}
	st, err := e.reopen()
	if err != nil {
		return nil, err
	}
	vars := map[string]string{"RMA_BCRYPT_COST": "4", "RMA_DATA_DIR": e.dir + "/templates", "RMA_SECRET": hex.EncodeToString([]byte("perf templates, signed nowhere..."))}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	start := time.Now().UTC().Add(-time.Duration(len(stories)+20) * storySlot).Truncate(day)
	start = start.AddDate(0, 0, (8-int(start.Weekday()))%7).Add(9 * hour) // a Monday morning
	m := &maker{env: e, clock: &vclock{t: start}}
	if m.app, err = app.Open(ctx, cfg, app.Options{Now: m.clock.Now, Store: st, Logger: slog.New(slog.DiscardHandler), RunLateJobsNow: true}); err != nil {
		_ = st.Close()
		return nil, err
	}
	defer m.app.Close()
	out := make([]template, 0, len(stories))
	for i, s := range stories {
		t, err := m.run(ctx, s, start.Add(time.Duration(i)*storySlot))
		if err != nil {
			return nil, fmt.Errorf("template %q: %w", s.name, err)
		}
		out = append(out, t)
	}
	if err := e.dropTemplates(ctx, out); err != nil {
		return nil, err
	}
	e.tmpl = out
	return out, nil
}

// dropTemplates deletes the template claims, read into memory: left in
// place they would be claims of years ago, some open with jobs years late.
func (e *Env) dropTemplates(ctx context.Context, ts []template) error {
	var ids, rmas, orders []any
	for _, t := range ts {
		ids = append(ids, t.rows["claims"].rows[0][slices.Index(t.rows["claims"].cols, "id")])
		rmas = append(rmas, t.rma)
		orders = append(orders, t.rows["orders"].rows[0][slices.Index(t.rows["orders"].cols, "number")])
	}
	return e.Store.DB().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, table := range []string{"slips", "attachments"} { // kept, not copied
			if err := tx.Exec("DELETE FROM "+table+" WHERE claim_id IN ?", ids).Error; err != nil {
				return err
			}
		}
		for i := len(copied) - 1; i >= 0; i-- {
			where, args := "claim_id IN ?", ids
			switch copied[i] {
			case "orders":
				where, args = "number IN ?", orders
			case "claims":
				where = "id IN ?"
			}
			if err := tx.Exec("DELETE FROM "+copied[i]+" WHERE "+where, args).Error; err != nil {
				return err
			}
		}
		return tx.Exec("DELETE FROM mail WHERE rma_number IN ?", rmas).Error
	})
}

// run files a claim at start, takes its steps and reads it back.
func (m *maker) run(ctx context.Context, s story, start time.Time) (template, error) {
	m.clock.set(start)
	rma, err := m.file(ctx)
	if err != nil {
		return template{}, err
	}
	for _, st := range s.steps {
		if err := m.advance(ctx, m.clock.Now().Add(st.after)); err != nil {
			return template{}, err
		}
		if err := st.do(ctx, m, rma); err != nil {
			return template{}, err
		}
	}
	if s.open {
		if err := m.advance(ctx, m.clock.Now().Add(s.hold)); err != nil {
			return template{}, err
		}
	} else if err := m.finish(ctx, rma); err != nil {
		return template{}, err
	}
	t, err := m.read(ctx, rma)
	if err != nil {
		return template{}, err
	}
	t.name, t.weight = s.name, s.weight
	if t.status.Terminal() == s.open {
		return template{}, fmt.Errorf("ended %s", t.status)
	}
	t.minAge, t.maxAge = m.clock.Now().Sub(t.created), maxOpenAge
	if s.open {
		if first, ok := firstPending(t); ok && first.Sub(t.created)-time.Minute < t.maxAge {
			t.maxAge = first.Sub(t.created) - time.Minute
		}
	} else {
		t.minAge, t.maxAge = latest(t).Sub(t.created)+time.Minute, 0
	}
	if s.open && t.maxAge < t.minAge {
		return template{}, fmt.Errorf("its first job is due before it is in its state")
	}
	return t, nil
}

// file imports a phone order for the buyer in Germany and files a claim on
// it.
func (m *maker) file(ctx context.Context) (string, error) {
	m.env.orders++
	done := m.clock.Now().AddDate(0, -2, 0)
	o := order.Order{Number: fmt.Sprintf("ORD-T%06d", m.env.orders), BuyerEmail: "buyer@example.com", BuyerName: "Perf Buyer",
		CompletedAt: &done, Country: "DE", Category: "phone", ProductName: "Phone",
		IMEI:            imei.WithCheckDigit(fmt.Sprintf("35%012d", 500000+m.env.orders)),
		ShippingAddress: []string{"Street 1", "10115 Berlin"},
		Coverages:       []coverage.Kind{coverage.ExtendedWarranty}}
	if _, _, err := m.app.Orders.Put(ctx, o); err != nil {
		return "", err
	}
	v, err := m.app.Claims.Submit(ctx, m.env.Users["buyer"].Actor(), claimRequest(o))
	if err != nil {
		return "", err
	}
	return v.Claim.RMANumber, nil
}

// advance moves the clock to t, sweeping at each job's time on the way.
func (m *maker) advance(ctx context.Context, t time.Time) error {
	for range 200 {
		jobs, err := m.app.Store.DueJobs(ctx, t, t, nil, 1)
		if err != nil {
			return err
		}
		if len(jobs) == 0 {
			break
		}
		if at := jobs[0].RunAt; at.After(m.clock.Now()) {
			m.clock.set(at)
		}
		n, err := m.app.Runner.Sweep(ctx)
		if err != nil {
			return err
		}
		if n == 0 { // a job resting after a failure: leave it to later
			break
		}
	}
	m.clock.set(t)
	_, err := m.app.Runner.Sweep(ctx)
	return err
}

// finish runs the claim's jobs until none is pending.
func (m *maker) finish(ctx context.Context, rma string) error {
	for range 50 {
		var next []time.Time
		if err := m.app.Store.DB().WithContext(ctx).Raw(`SELECT j.run_at FROM jobs j JOIN claims c ON c.id = j.claim_id
			WHERE c.rma_number = ? AND j.done_at IS NULL AND j.dead_at IS NULL ORDER BY j.run_at LIMIT 1`, rma).Scan(&next).Error; err != nil {
			return err
		}
		if len(next) == 0 {
			return nil
		}
		at := next[0].Add(time.Minute)
		if at.Before(m.clock.Now()) {
			at = m.clock.Now().Add(time.Hour)
		}
		if err := m.advance(ctx, at); err != nil {
			return err
		}
	}
	return fmt.Errorf("jobs still pending")
}

// read returns the claim with its order and every row of the copied
// tables that belongs to it.
func (m *maker) read(ctx context.Context, rma string) (template, error) {
	db, err := m.env.Store.DB().DB()
	if err != nil {
		return template{}, err
	}
	t := template{rma: rma, rows: map[string]*tableRows{}}
	var id, orderNumber string
	var created time.Time
	var status string
	if err := db.QueryRowContext(ctx, `SELECT id, order_number, created_at, status FROM claims WHERE rma_number = ?`, rma).
		Scan(&id, &orderNumber, &created, &status); err != nil {
		return template{}, err
	}
	t.created, t.status = created.UTC(), claim.Status(status)
	for _, table := range copied {
		where, arg := "claim_id = ?", id
		switch table {
		case "orders":
			where, arg = "number = ?", orderNumber
		case "claims":
			where = "id = ?"
		}
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+table+" WHERE "+where, arg)
		if err != nil {
			return template{}, err
		}
		tr, err := readRows(rows)
		if err != nil {
			return template{}, fmt.Errorf("%s: %w", table, err)
		}
		if i := slices.Index(tr.cols, "id"); i >= 0 {
			slices.SortFunc(tr.rows, func(a, b []any) int { return cmpString(a[i], b[i]) })
		}
		t.rows[table] = tr
	}
	return t, nil
}

func cmpString(a, b any) int {
	x, _ := a.(string)
	y, _ := b.(string)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// firstPending is the run time of a template's first unfinished job.
func firstPending(t template) (time.Time, bool) {
	jobs := t.rows["jobs"]
	run, done, dead := slices.Index(jobs.cols, "run_at"), slices.Index(jobs.cols, "done_at"), slices.Index(jobs.cols, "dead_at")
	var first time.Time
	for _, r := range jobs.rows {
		if r[done] != nil || r[dead] != nil {
			continue
		}
		if at, ok := r[run].(time.Time); ok && (first.IsZero() || at.Before(first)) {
			first = at
		}
	}
	return first, !first.IsZero()
}

// latest is the latest time anywhere in a template's rows.
func latest(t template) time.Time {
	var last time.Time
	for _, tr := range t.rows {
		for _, r := range tr.rows {
			for _, v := range r {
				if at, ok := v.(time.Time); ok && at.After(last) {
					last = at
				}
			}
		}
	}
	return last
}
