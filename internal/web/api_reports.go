package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/claim"
	"rma/internal/fault"
	"rma/internal/promise"
	"rma/internal/report"
)

type tallyJSON struct {
	Kind        string   `json:"kind"`
	Kept        int      `json:"kept"`
	Broken      int      `json:"broken"`
	Void        int      `json:"void"`
	Open        int      `json:"open"`
	OpenOverdue int      `json:"open_overdue"`
	Compliance  *float64 `json:"compliance"`
}

// period reads ?from= and ?to= (RFC 3339 or dates); the default is the last
// 30 days up to now.
func (s *Server) period(c *gin.Context) (from, to time.Time, err error) {
	to = s.Claims.Now()
	from = to.AddDate(0, 0, -30)
	if t, ok := parseTime(c.Query("from")); !ok {
		return from, to, fault.Field("from", "date_invalid")
	} else if t != nil {
		from = *t
	}
	if t, ok := parseTime(c.Query("to")); !ok {
		return from, to, fault.Field("to", "date_invalid")
	} else if t != nil {
		to = *t
	}
	return from, to, nil
}

// promiseReport counts, per kind, the promises due in a period: kept,
// broken, and open (and of those, overdue, which count as not kept), with
// filters by center, buyer country and language; as JSON or CSV.
func (s *Server) promiseReport(c *gin.Context) {
	from, to, err := s.period(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := promise.Filter{From: from, To: to, Center: strings.ToUpper(c.Query("center")),
		Country: strings.ToUpper(c.Query("country")), Language: strings.ToLower(c.Query("language"))}
	tallies, err := s.Reports.Promises(ctx(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]tallyJSON, len(tallies))
	for i, t := range tallies {
		items[i] = tallyJSON{Kind: string(t.Kind), Kept: t.Kept, Broken: t.Broken, Void: t.Void, Open: t.Open,
			OpenOverdue: t.OpenOverdue}
		if share, ok := t.Compliance(); ok {
			items[i].Compliance = &share
		}
	}
	switch c.DefaultQuery("format", "json") {
	case "json":
		c.JSON(http.StatusOK, gin.H{"from": from, "to": to, "center": f.Center, "country": f.Country,
			"language": f.Language, "items": items})
	case "csv":
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="promises.csv"`)
		w := csv.NewWriter(c.Writer)
		_ = w.Write([]string{"kind", "kept", "broken", "void", "open", "open_overdue", "compliance"})
		for _, t := range items {
			share := ""
			if t.Compliance != nil {
				share = strconv.FormatFloat(*t.Compliance, 'f', 4, 64)
			}
			_ = w.Write([]string{t.Kind, strconv.Itoa(t.Kept), strconv.Itoa(t.Broken), strconv.Itoa(t.Void),
				strconv.Itoa(t.Open), strconv.Itoa(t.OpenOverdue), share})
		}
		w.Flush()
	default:
		s.fail(c, fault.Field("format", "format_invalid"))
	}
}

type auditJSON struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	RMANumber string    `json:"rma_number"`
	Action    string    `json:"action"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	ActorID   string    `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	ActorRole string    `json:"actor_role"`
	Note      string    `json:"note,omitempty"`
}

// auditLog lists the steps taken on claims, newest first, with who took
// each: of one claim, by one actor, in a period.
func (s *Server) auditLog(c *gin.Context) {
	limit, cursor, err := listParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := report.AuditFilter{ActorID: strings.TrimSpace(c.Query("actor")), Before: cursor, Limit: limit}
	if q := c.Query("rma_number"); q != "" {
		rma, ok := claim.NormalizeRMANumber(q)
		if !ok {
			s.fail(c, fault.Field("rma_number", "rma_invalid"))
			return
		}
		f.RMANumber = rma
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		t, ok := parseTime(c.Query(p.name))
		if !ok {
			s.fail(c, fault.Field(p.name, "date_invalid"))
			return
		}
		if t != nil {
			*p.dst = *t
		}
	}
	entries, err := s.Reports.Audit(ctx(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]auditJSON, len(entries))
	for i, e := range entries {
		items[i] = auditJSON{ID: e.ID, At: e.At, RMANumber: e.RMANumber, Action: string(e.Action), From: string(e.From),
			To: string(e.To), ActorID: e.ActorID, ActorName: e.ActorName, ActorRole: string(e.ActorRole), Note: e.Note}
	}
	next := ""
	if len(entries) == limit {
		next = entries[len(entries)-1].ID
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}
