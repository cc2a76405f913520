package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
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
	to, _ := account.NormalizeEmail(c.Query("to"))
	recs, err := s.Mailer.List(ctx(c), mail.Filter{To: to, RMANumber: strings.ToUpper(strings.TrimSpace(c.Query("rma_number"))),
		Before: cursor, Limit: limit})
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
