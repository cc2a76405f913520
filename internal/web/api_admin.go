package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/fault"
	"rma/internal/mail"
)

type mailJSON struct {
	ID         string     `json:"id"`
	To         string     `json:"to"`
	Subject    string     `json:"subject"`
	Language   string     `json:"language"`
	RMANumber  string     `json:"rma_number"`
	Kind       string     `json:"kind"`
	CreatedAt  time.Time  `json:"created_at"`
	SentAt     *time.Time `json:"sent_at"`
	Status     string     `json:"status"`
	Error      string     `json:"error,omitempty"`
	Text       string     `json:"text"`
	Attachment string     `json:"attachment,omitempty"`
}

// listMail shows admins every message the service sent or holds.
func (s *Server) listMail(c *gin.Context) {
	limit, cursor, err := listParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	f, err := apiMailFilter(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	f.Before, f.Limit = cursor, limit
	recs, err := s.Mailer.List(ctx(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]mailJSON, len(recs))
	for i, r := range recs {
		items[i] = mailJSON{ID: r.ID, To: r.To, Subject: r.Subject, Language: r.Language, RMANumber: r.RMANumber,
			Kind: r.Kind, CreatedAt: r.CreatedAt, SentAt: r.SentAt, Status: string(r.Status), Error: r.Error,
			Text: r.Text, Attachment: r.AttachmentName}
	}
	next := ""
	if len(recs) == limit {
		next = recs[len(recs)-1].ID
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

// apiMailFilter reads the mail list's filters, the mailbox page's: to (the
// exact address) or to_contains (a part of it, any case), rma_number,
// status, and from and until (RFC 3339 or a date in UTC; from included,
// until excluded). Every unreadable one is named.
func apiMailFilter(c *gin.Context) (mail.Filter, error) {
	to, _ := account.NormalizeEmail(c.Query("to"))
	f := mail.Filter{To: to, ToPart: strings.TrimSpace(c.Query("to_contains")),
		RMANumber: strings.ToUpper(strings.TrimSpace(c.Query("rma_number"))), Status: mail.Status(strings.TrimSpace(c.Query("status")))}
	var bad fault.Fields
	if f.Status != "" && !slices.Contains(mail.Statuses, f.Status) {
		bad.Add("status", "mail_status_invalid")
	}
	if len(f.ToPart) > 254 {
		bad.Add("to_contains", "field_too_long")
	}
	for _, field := range []string{"from", "until"} {
		t, ok := parseTime(c.Query(field))
		switch {
		case !ok:
			bad.Add(field, "date_invalid")
		case t != nil && field == "from":
			f.From = *t
		case t != nil:
			f.Until = *t
		}
	}
	if !f.From.IsZero() && !f.Until.IsZero() && !f.Until.After(f.From) {
		bad.Add("until", "day_range_invalid")
	}
	return f, bad.Err("invalid_input")
}

// queueSummary shows admins the job queue: the queue's counts per state and
// the outbox jobs not finished yet.
func (s *Server) queueSummary(c *gin.Context) {
	sum, err := s.Reports.Queues(ctx(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	queues := []gin.H{}
	for _, q := range sum.Queues {
		queues = append(queues, gin.H{"queue": q.Queue, "size": q.Size, "pending": q.Pending, "active": q.Active,
			"scheduled": q.Scheduled, "retry": q.Retry, "archived": q.Archived, "completed": q.Completed,
			"processed_today": q.ProcessedToday, "failed_today": q.FailedToday, "latency_seconds": q.Latency.Seconds(),
			"paused": q.Paused})
	}
	c.JSON(http.StatusOK, gin.H{"unfinished_jobs": sum.Unfinished, "queues": queues})
}
