package perf

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/claim"
	"rma/internal/imei"
	"rma/internal/store"
)

// Mix says which claims the seeder writes.
type Mix string

const (
	// MixRealistic: claims filed over the last two years, more of them
	// lately (the marketplace grows: twice as many a day now as two years
	// ago). A claim is a copy of a template whose lifecycle fits its age:
	// the older ones finished (closed, rejected, cancelled, expired,
	// abandoned) with all their jobs done, the recent ones in the open
	// states, none with a job the sweep would already have run. About one
	// claim in thirty is open.
	MixRealistic Mix = "realistic"
	// MixOpen: open claims only, copies of the open templates filed over
	// the last 30 days (each after the time its template took to reach its
	// state), however overdue their jobs: the worst case for the queue, the
	// work list and the sweep.
	MixOpen Mix = "open"
)

// Mixes are the mixes a run may ask for.
var Mixes = []Mix{MixRealistic, MixOpen}

// span is how far back realistic claims are filed.
const span = 730 * 24 * time.Hour

// seedBatch is the number of claims written in one transaction.
const seedBatch = 4000

// Seed adds n claims, copies of the templates the services made, each with
// its own order, RMA number, device, ids, events, promises and jobs, in
// multi-row inserts of prepared statements, one transaction per batch. It
// returns how many it wrote.
func (e *Env) Seed(ctx context.Context, n int, progress io.Writer) (int, error) {
	ts, err := e.templates(ctx)
	if err != nil {
		return 0, err
	}
	w, err := e.newWriter(ctx, ts)
	if err != nil {
		return 0, err
	}
	defer w.close()
	open := slices.DeleteFunc(slices.Clone(ts), func(t template) bool { return t.status.Terminal() })
	now := time.Now().UTC()
	start, pending := time.Now(), 0
	for i := range n {
		e.seeded++
		k := e.seeded
		var t *template
		var filed time.Time
		if e.Mix == MixOpen {
			// Each a minute older than the last, over 30 days, after the
			// time its template took to reach its state.
			t = &open[k%len(open)]
			filed = now.Add(-t.minAge - time.Duration(k%(30*24*60))*time.Minute)
		} else {
			age := ageAt((float64(i) + 0.5) / float64(n))
			t = choose(ts, &age, k)
			filed = now.Add(-age)
		}
		// A scrambled counter: distinct numbers that do not run in order.
		rma := claim.RMANumberOf(uint64(k)*0x5DEECE66D + 0xB)
		w.add(t, k, rma, filed.Sub(t.created))
		pending++
		if pending == seedBatch || i == n-1 {
			if err := w.flush(ctx); err != nil {
				return i + 1 - pending, err
			}
			pending = 0
			if progress != nil && (i+1)%100000 == 0 {
				fmt.Fprintf(progress, "  seeded %d claims (%.0f/s)\n", i+1, float64(i+1)/time.Since(start).Seconds())
			}
		}
	}
	// The batches wrote claims around the store, which keeps the counts.
	return n, e.Store.RebuildClaimCounts(ctx)
}

// SeededRows counts the rows of the tables the seeder writes.
func (e *Env) SeededRows(ctx context.Context) (int64, error) {
	var total int64
	for _, table := range copied {
		var n int64
		if err := e.Store.DB().WithContext(ctx).Table(table).Count(&n).Error; err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// ageAt is the age of the claim at quantile u of the realistic filing
// dates: the density of filings grows linearly from 1 two years ago to 2
// now, so the fraction filed by time x (0 two years ago, 1 now) is
// (x + x²/2) / 1.5. Ascending u gives ascending dates, so a run writes
// oldest first, into the end of every time-ordered index.
func ageAt(u float64) time.Duration {
	x := math.Sqrt(1+3*u) - 1
	return time.Duration((1 - x) * float64(span))
}

// choose picks, by weight, one of the templates whose ages fit age; a
// scrambled k makes the choice look random and repeat exactly. When none
// fits (between two open states' windows), it takes the template whose
// window is nearest and moves age to its edge.
func choose(ts []template, age *time.Duration, k int) *template {
	fits := func(t *template) bool { return *age >= t.minAge && (t.maxAge == 0 || *age <= t.maxAge) }
	total := 0
	for i := range ts {
		if fits(&ts[i]) {
			total += ts[i].weight
		}
	}
	if total == 0 {
		best, gap, edge := 0, time.Duration(math.MaxInt64), *age
		for i, t := range ts {
			d, e := t.minAge-*age, t.minAge
			if d < 0 {
				d, e = *age-t.maxAge, t.maxAge
			}
			if d < gap {
				best, gap, edge = i, d, e
			}
		}
		*age = edge
		return &ts[best]
	}
	r := int(scramble(uint64(k)) % uint64(total))
	for i := range ts {
		if !fits(&ts[i]) {
			continue
		}
		if r < ts[i].weight {
			return &ts[i]
		}
		r -= ts[i].weight
	}
	return &ts[0]
}

// scramble is splitmix64's finaliser.
func scramble(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ x>>30) * 0xBF58476D1CE4E5B9
	x = (x ^ x>>27) * 0x94D049BB133111EB
	return x ^ x>>31
}

// writer buffers the rows of a batch of copies, table by table, and writes
// them in multi-row inserts on one connection.
type writer struct {
	conn    *sql.Conn
	tables  []*bulkTable
	byName  map[string]*bulkTable
	restore []string
	begin   string   // the statement that begins a transaction
	events  []string // the current copy's new event ids
}

// bulkTable is one table's insert: its columns and buffered values, and
// either (MariaDB) the rows per statement and the full statement, prepared
// once, or (SQLite) the buffer the statements' text is written into.
type bulkTable struct {
	name    string
	cols    []string
	args    []any
	idCol   int // the column whose time new ids carry, -1 for none
	perStmt int
	stmt    *sql.Stmt
	literal bool
	buf     []byte
}

// literalRows is the number of rows of a SQLite insert written with its
// values in the text.
const literalRows = 500

// writeLiterals writes the buffered rows as inserts whose values are in
// the statement's text (SQLite): the pure-Go driver prepares a statement
// again at each execution, parsing its text anyway, and binds parameters
// in time quadratic in their number (it looks each one's argument up from
// the first), so values in the text cost less than parameters, and the
// size of a statement is not bounded by SQLite's 32,766 parameters. Two
// hundred parameters a statement took 23% more CPU than this.
func (t *bulkTable) writeLiterals(ctx context.Context, conn *sql.Conn) error {
	n := len(t.cols)
	head := "INSERT INTO " + t.name + " (`" + strings.Join(t.cols, "`, `") + "`) VALUES "
	for start := 0; start < len(t.args); start += literalRows * n {
		end := min(len(t.args), start+literalRows*n)
		b := append(t.buf[:0], head...)
		for i := start; i < end; i += n {
			if i > start {
				b = append(b, ", "...)
			}
			b = append(b, '(')
			for j, v := range t.args[i : i+n] {
				if j > 0 {
					b = append(b, ", "...)
				}
				b = appendLiteral(b, v)
			}
			b = append(b, ')')
		}
		t.buf = b
		if _, err := conn.ExecContext(ctx, string(b)); err != nil {
			return err
		}
	}
	clear(t.args)
	t.args = t.args[:0]
	return nil
}

// appendLiteral writes v as a SQLite literal, times as the driver writes
// them (the store compares times as text on SQLite, so the format must be
// the same to the character).
func appendLiteral(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "NULL"...)
	case string:
		b = append(b, '\'')
		for i := 0; i < len(x); i++ {
			if x[i] == '\'' {
				b = append(b, '\'')
			}
			b = append(b, x[i])
		}
		return append(b, '\'')
	case int64:
		return strconv.AppendInt(b, x, 10)
	case bool:
		if x {
			return append(b, '1')
		}
		return append(b, '0')
	case float64:
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	case time.Time:
		b = append(b, '\'')
		b = x.AppendFormat(b, sqliteTime)
		return append(b, '\'')
	}
	panic(fmt.Sprintf("perf: no SQLite literal for %T", v))
}

// sqliteTime is the format the SQLite driver writes times in
// (_time_format=sqlite).
const sqliteTime = "2006-01-02 15:04:05.999999999-07:00"

func (e *Env) newWriter(ctx context.Context, ts []template) (*writer, error) {
	db, err := e.Store.DB().DB()
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	w := &writer{conn: conn, byName: map[string]*bulkTable{}, begin: "BEGIN IMMEDIATE"}
	ok := false
	defer func() {
		if !ok {
			w.close()
		}
	}()
	packet := 0
	if e.Store.Dialect() == store.MySQL {
		if err := conn.QueryRowContext(ctx, `SELECT @@max_allowed_packet`).Scan(&packet); err != nil {
			return nil, err
		}
		w.begin = "START TRANSACTION"
	} else if err := w.bulkPragmas(ctx); err != nil {
		return nil, err
	}
	for _, name := range copied {
		t := &bulkTable{name: name, cols: ts[0].rows[name].cols, literal: packet == 0}
		t.idCol = idTime(name, t.cols)
		if !t.literal {
			t.perStmt = rowsPerStatement(len(t.cols), packet, widest(ts, name))
			if t.stmt, err = conn.PrepareContext(ctx, insertSQL(name, t.cols, t.perStmt)); err != nil {
				return nil, fmt.Errorf("prepare %s: %w", name, err)
			}
		}
		w.tables = append(w.tables, t)
		w.byName[name] = t
	}
	ok = true
	return w, nil
}

// rowsPerStatement is as many rows as half of max_allowed_packet holds at
// the widest row, within the 65,535 parameters of a prepared statement.
func rowsPerStatement(cols, packet, width int) int {
	return max(1, min(65535/cols, packet/2/max(width, 1)))
}

// widest is the most bytes a template row of table takes, doubled for
// what the copies change.
func widest(ts []template, table string) int {
	w := 0
	for _, t := range ts {
		for _, r := range t.rows[table].rows {
			n := 0
			for _, v := range r {
				if s, ok := v.(string); ok {
					n += len(s)
				}
				n += 8
			}
			w = max(w, 2*n)
		}
	}
	return w
}

func insertSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (`" + strings.Join(cols, "`, `") + "`) VALUES ")
	one := "(" + strings.Repeat("?, ", len(cols)-1) + "?)"
	b.Grow(rows * (len(one) + 2))
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// bulkPragmas lets the SQLite connection skip the disk syncs, keep a
// large page cache and its statement journals (each multi-row insert
// keeps one, to undo itself alone) in memory while it loads (a crash
// mid-load loses a throwaway database, not a real one); close puts the
// settings back.
func (w *writer) bulkPragmas(ctx context.Context) error {
	for _, p := range []string{"synchronous", "cache_size", "temp_store"} {
		var v string
		if err := w.conn.QueryRowContext(ctx, "PRAGMA "+p).Scan(&v); err != nil {
			return err
		}
		w.restore = append(w.restore, "PRAGMA "+p+" = "+v)
	}
	for _, p := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY"} {
		if _, err := w.conn.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) close() {
	for _, t := range w.tables {
		if t.stmt != nil {
			_ = t.stmt.Close()
		}
	}
	for _, p := range w.restore {
		_, _ = w.conn.ExecContext(context.Background(), p)
	}
	_ = w.conn.Close()
}

// add buffers a copy of t: number k, RMA number rma, every time moved by
// shift, ids made from the rows' own (moved) times so that they sort as
// the service's own do.
func (w *writer) add(t *template, k int, rma string, shift time.Duration) {
	order := fmt.Sprintf("ORD-S%08d", k)
	device := imei.WithCheckDigit(fmt.Sprintf("86%012d", k))
	var claimID string
	w.events = w.events[:0]
	for _, name := range copied {
		bt, tr := w.byName[name], t.rows[name]
		for ri, row := range tr.rows {
			var id string
			if bt.idCol >= 0 {
				at, _ := row[bt.idCol].(time.Time)
				id = newID(at.Add(shift), ri, k)
			}
			switch name {
			case "claims":
				claimID = id
			case "claim_events":
				w.events = append(w.events, id)
			}
			for ci, col := range tr.cols {
				v := row[ci]
				switch col {
				case "id":
					v = id
				case "claim_id":
					v = claimID
				case "number", "order_number":
					v = order
				case "imei", "open_imei", "open_device":
					if v != nil {
						v = device
					}
				case "rma_number":
					v = rma
				case "replacement_imei":
					if v != "" {
						v = imei.WithCheckDigit(fmt.Sprintf("87%012d", k))
					}
				case "event_id":
					if s, ok := v.(string); ok {
						v = w.events[eventIndex(t, s)]
					}
				default:
					if at, ok := v.(time.Time); ok {
						v = at.Add(shift)
					}
				}
				bt.args = append(bt.args, v)
			}
		}
	}
}

// idTime is the column whose time a table's new ids carry, -1 for a table
// without an id of its own.
func idTime(table string, cols []string) int {
	col := map[string]string{"claims": "created_at", "claim_events": "at", "promises": "made_at",
		"jobs": "created_at", "claim_notes": "created_at"}[table]
	if col == "" {
		return -1
	}
	return slices.Index(cols, col)
}

// eventIndex is the position, among t's events, of the event with id.
func eventIndex(t *template, id string) int {
	ev := t.rows["claim_events"]
	i := slices.Index(ev.cols, "id")
	for j, r := range ev.rows {
		if r[i] == id {
			return j
		}
	}
	panic("perf: a template job names an event of another claim")
}

// newID is a ULID of time at whose other bytes are the row's place in its
// template (rows of one copy made in the same millisecond keep their
// template's order) and the copy's number (copies never collide).
func newID(at time.Time, row, k int) string {
	var u ulid.ULID
	_ = u.SetTime(ulid.Timestamp(at))
	binary.BigEndian.PutUint16(u[6:8], uint16(row))
	binary.BigEndian.PutUint64(u[8:16], uint64(k))
	return u.String()
}

// flush writes the buffered rows in one transaction, parents first: full
// statements with the prepared insert, the rest in one more. The
// transaction is begun and ended by statements on the connection, not as a
// sql.Tx, which would prepare the statements again for each transaction.
func (w *writer) flush(ctx context.Context) (err error) {
	if _, err := w.conn.ExecContext(ctx, w.begin); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_, _ = w.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	for _, t := range w.tables {
		if err := t.write(ctx, w.conn); err != nil {
			return fmt.Errorf("seed %s: %w", t.name, err)
		}
	}
	_, err = w.conn.ExecContext(ctx, "COMMIT")
	return err
}

func (t *bulkTable) write(ctx context.Context, conn *sql.Conn) error {
	if t.literal {
		return t.writeLiterals(ctx, conn)
	}
	n := len(t.cols)
	full := t.perStmt * n
	args := t.args
	for len(args) >= full {
		if _, err := t.stmt.ExecContext(ctx, args[:full]...); err != nil {
			return err
		}
		args = args[full:]
	}
	if len(args) > 0 {
		if _, err := conn.ExecContext(ctx, insertSQL(t.name, t.cols, len(args)/n), args...); err != nil {
			return err
		}
	}
	clear(t.args)
	t.args = t.args[:0]
	return nil
}

// readRows reads every row of rows as the driver gives it, text as strings
// and times in UTC.
func readRows(rows *sql.Rows) (*tableRows, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := &tableRows{cols: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				vals[i] = string(x)
			case time.Time:
				vals[i] = x.UTC()
			}
		}
		out.rows = append(out.rows, vals)
	}
	return out, rows.Err()
}
