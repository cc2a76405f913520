package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/fault"
)

// JobAdmin lists the jobs given up and retries them, for admins.
type JobAdmin interface {
	DeadJobs(ctx context.Context, actor account.Actor, before string, limit int) ([]claim.JobRecord, error)
	RetryJob(ctx context.Context, actor account.Actor, id string) (claim.JobRecord, error)
}

type jobJSON struct {
	ID            string     `json:"id"`
	Kind          string     `json:"kind"`
	RMANumber     string     `json:"rma_number"`
	RunAt         time.Time  `json:"run_at"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error"`
	State         string     `json:"state"`
	DeadAt        *time.Time `json:"dead_at"`
	NextAttemptAt *time.Time `json:"next_attempt_at"`
}

func jobBody(r claim.JobRecord) jobJSON {
	state := "pending"
	switch {
	case r.DoneAt != nil:
		state = "done"
	case r.DeadAt != nil:
		state = "dead"
	}
	return jobJSON{ID: r.ID, Kind: string(r.Kind), RMANumber: r.RMANumber, RunAt: r.RunAt, Attempts: r.Attempts,
		LastError: r.LastError, State: state, DeadAt: r.DeadAt, NextAttemptAt: r.NextAttemptAt}
}

// listJobs shows admins the jobs given up, with their reasons.
func (s *Server) listJobs(c *gin.Context) {
	if c.Query("state") != "dead" {
		s.fail(c, fault.Field("state", "job_state_invalid"))
		return
	}
	limit, cursor, err := listParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	recs, err := s.JobAdmin.DeadJobs(ctx(c), actor(c), cursor, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]jobJSON, len(recs))
	for i, r := range recs {
		items[i] = jobBody(r)
	}
	next := ""
	if len(recs) == limit {
		next = recs[len(recs)-1].ID
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

// retryJob gives a dead job a fresh start.
func (s *Server) retryJob(c *gin.Context) {
	id := c.Param("id")
	if !validID(id) {
		s.fail(c, fault.New(fault.NotFound, "job_not_found"))
		return
	}
	rec, err := s.JobAdmin.RetryJob(ctx(c), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, jobBody(rec))
}
