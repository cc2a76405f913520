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

// queueSummary shows admins the job queue: asynq's counts per state and the
// outbox jobs not finished yet.
func (s *Server) queueSummary(c *gin.Context) {
	pending, err := s.Jobs.PendingCount(ctx(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	queues := []gin.H{}
	names, err := s.Queue.Queues()
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, q := range names {
		info, err := s.Queue.GetQueueInfo(q)
		if err != nil {
			s.fail(c, err)
			return
		}
		queues = append(queues, gin.H{"queue": q, "size": info.Size, "pending": info.Pending, "active": info.Active,
			"scheduled": info.Scheduled, "retry": info.Retry, "archived": info.Archived, "completed": info.Completed,
			"processed_today": info.Processed, "failed_today": info.Failed, "latency_seconds": info.Latency.Seconds(),
			"paused": info.Paused})
	}
	c.JSON(http.StatusOK, gin.H{"unfinished_jobs": pending, "queues": queues})
}
