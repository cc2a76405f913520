package perf

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/store"
)

// yard is the yardstick: bare Gin and database/sql with prepared
// statements on the same database, doing the reads and writes the service
// does for the same request, with no framework between.
type yard struct {
	db      *sql.DB
	mysql   bool
	srv     *httptest.Server
	stmts   map[string]*sql.Stmt
	slip    atomic.Pointer[[]byte]
	slipTag string
}

// The statements, as the service's queries are (one per read it makes).
var yardQueries = map[string]string{
	"auth": `SELECT users.* FROM users JOIN api_tokens t ON t.user_id = users.id
		WHERE t.token_hash = ? AND t.expires_at > ? AND t.revoked_at IS NULL LIMIT 1`,
	"claim":    `SELECT * FROM claims WHERE rma_number = ? LIMIT 1`,
	"events":   `SELECT e.*, u.name AS actor_name FROM claim_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.claim_id = ? ORDER BY e.id`,
	"center":   `SELECT * FROM centers WHERE code = ? LIMIT 1`,
	"promises": `SELECT * FROM promises WHERE claim_id = ? ORDER BY id`,
	"checks":   `SELECT * FROM intake_checks WHERE claim_id = ? LIMIT 1`,
	"parts":    `SELECT * FROM claim_parts WHERE claim_id = ? ORDER BY part_number`,
	"diagnose": `SELECT * FROM claim_diagnoses WHERE claim_id = ? LIMIT 1`,
	// The intake's writes.
	"lock":      `SELECT id, status, version, buyer_id, center_code FROM claims WHERE rma_number = ?`,
	"receive":   `UPDATE claims SET status = 'received', received_at = ?, return_due_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
	"event":     `INSERT INTO claim_events (id, claim_id, at, action, from_status, to_status, actor_id, actor_role) VALUES (?, ?, ?, 'receive', 'approved', 'received', ?, 'technician')`,
	"settle":    `UPDATE promises SET state = 'kept', settled_at = ? WHERE claim_id = ? AND kind = 'ship_by' AND state = 'open'`,
	"promise":   `INSERT INTO promises (id, claim_id, kind, made_at, due_at, state) VALUES (?, ?, 'return', ?, ?, 'open')`,
	"job":       `INSERT INTO jobs (id, kind, claim_id, event_id, run_at, created_at, attempts) VALUES (?, ?, ?, ?, ?, ?, 0)`,
	"lockMySQL": `SELECT id, status, version, buyer_id, center_code FROM claims WHERE rma_number = ? FOR UPDATE`,
}

func newYard(st *store.Store) (*yard, error) {
	db, err := st.DB().DB()
	if err != nil {
		return nil, err
	}
	y := &yard{db: db, mysql: st.Dialect() == store.MySQL, stmts: map[string]*sql.Stmt{}}
	for name, q := range yardQueries {
		if name == "lockMySQL" && !y.mysql {
			continue
		}
		if y.stmts[name], err = db.Prepare(q); err != nil {
			y.close()
			return nil, err
		}
	}
	r := gin.New()
	r.GET("/api/v1/claims/:rma", y.showClaim)
	r.GET("/api/v1/claims/:rma/slip.pdf", y.downloadSlip)
	r.POST("/api/v1/intake/scans", y.scan)
	y.srv = httptest.NewServer(r)
	return y, nil
}

func (y *yard) close() {
	if y.srv != nil {
		y.srv.Close()
	}
	for _, s := range y.stmts {
		_ = s.Close()
	}
}

// user is the token check: the same query as the service's.
func (y *yard) user(c *gin.Context) (map[string]any, bool) {
	token, _ := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	rows, err := y.stmts["auth"].QueryContext(c, account.HashToken(token), time.Now().UTC())
	if err != nil {
		c.AbortWithStatus(http.StatusInternalServerError)
		return nil, false
	}
	us, err := scanRows(rows)
	if err != nil || len(us) == 0 {
		c.AbortWithStatus(http.StatusUnauthorized)
		return nil, false
	}
	return us[0], true
}

func (y *yard) query(ctx context.Context, name string, args ...any) ([]map[string]any, error) {
	rows, err := y.stmts[name].QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	return scanRows(rows)
}

// showClaim reads what the service's claim read reads, and answers JSON.
func (y *yard) showClaim(c *gin.Context) {
	u, ok := y.user(c)
	if !ok {
		return
	}
	cl, err := y.query(c, "claim", c.Param("rma"))
	if err != nil || len(cl) == 0 || str(cl[0]["buyer_id"]) != str(u["id"]) {
		c.AbortWithStatus(http.StatusNotFound)
		return
	}
	id := cl[0]["id"]
	out := gin.H{"claim": cl[0]}
	for _, q := range []struct{ name, key string }{{"events", "events"}, {"promises", "promises"}, {"checks", "intake_check"},
		{"parts", "parts"}, {"diagnose", "diagnosis"}} {
		rows, err := y.query(c, q.name, id)
		if err != nil {
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		out[q.key] = rows
	}
	ce, err := y.query(c, "center", cl[0]["center_code"])
	if err != nil || len(ce) == 0 {
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	out["center"] = ce[0]
	c.JSON(http.StatusOK, out)
}

// downloadSlip answers the kept bytes from memory after the token check,
// with an ETag and 304 for a client that has them.
func (y *yard) downloadSlip(c *gin.Context) {
	if _, ok := y.user(c); !ok {
		return
	}
	if c.GetHeader("If-None-Match") == y.slipTag {
		c.Status(http.StatusNotModified)
		return
	}
	c.Header("ETag", y.slipTag)
	c.Data(http.StatusOK, "application/pdf", *y.slip.Load())
}

// scan is the intake in one raw transaction: the claim's state, its event,
// the ledger (ship-by kept, return made) and the outbox (three jobs).
func (y *yard) scan(c *gin.Context) {
	u, ok := y.user(c)
	if !ok {
		return
	}
	var req struct{ Code string }
	if err := c.ShouldBindJSON(&req); err != nil {
		c.AbortWithStatus(http.StatusBadRequest)
		return
	}
	rma, _, _ := strings.Cut(req.Code, ".")
	out, err := y.receive(c, rma, str(u["id"]))
	if err != nil {
		c.AbortWithStatus(http.StatusConflict)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (y *yard) receive(ctx context.Context, rma, actorID string) (gin.H, error) {
	tx, err := y.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	lock := "lock"
	if y.mysql {
		lock = "lockMySQL"
	}
	var id, status, buyer, center string
	var version int64
	if err := tx.StmtContext(ctx, y.stmts[lock]).QueryRowContext(ctx, rma).Scan(&id, &status, &version, &buyer, &center); err != nil {
		return nil, err
	}
	if status != "approved" {
		return gin.H{"rma_number": rma, "status": status}, nil
	}
	now := time.Now().UTC()
	due := now.AddDate(0, 0, 15)
	eventID := ulid.Make().String()
	res, err := tx.StmtContext(ctx, y.stmts["receive"]).ExecContext(ctx, now, due, now, id, version)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, errors.New("lost the race")
	}
	steps := []struct {
		name string
		args []any
	}{
		{"event", []any{eventID, id, now, actorID}},
		{"settle", []any{now, id}},
		{"promise", []any{ulid.Make().String(), id, now, due}},
		{"job", []any{ulid.Make().String(), "notify", id, eventID, now, now}},
		{"job", []any{ulid.Make().String(), "turnaround_warn", id, nil, due.AddDate(0, 0, -5), now}},
		{"job", []any{ulid.Make().String(), "turnaround_escalate", id, nil, due, now}},
	}
	for _, s := range steps {
		if _, err := tx.StmtContext(ctx, y.stmts[s.name]).ExecContext(ctx, s.args...); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return gin.H{"rma_number": rma, "status": "received", "version": version + 1, "received_at": now,
		"return_due_at": due, "center_code": center, "buyer_id": buyer}, nil
}

// scanRows reads every row into a column → value map ([]byte as text).
func scanRows(rows *sql.Rows) ([]map[string]any, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				m[c] = string(b)
			} else {
				m[c] = vals[i]
			}
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func str(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	}
	return ""
}
