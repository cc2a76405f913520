package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"rma/internal/claim"
	"rma/internal/mail"
)

// mailboxData is the mailbox page: the kept messages and the jobs given up.
type mailboxData struct {
	Mail []mail.Record
	Dead []claim.JobRecord
}

// mailbox shows the messages the service sent or holds, and the jobs given
// up with their reasons and a retry button.
func (s *Server) mailbox(c *gin.Context) {
	recs, err := s.Mailer.List(ctx(c), mail.Filter{Limit: 100})
	if err != nil {
		s.pageFail(c, err)
		return
	}
	dead, err := s.JobAdmin.DeadJobs(ctx(c), actor(c), "", 100)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	p := s.newPage(c, "nav.mail")
	p.Data = mailboxData{Mail: recs, Dead: dead}
	s.render(c, http.StatusOK, "mailbox", p)
}

// retryJobPage gives a dead job a fresh start from the mailbox page.
func (s *Server) retryJobPage(c *gin.Context) {
	id := c.Param("id")
	if !validID(id) {
		s.pageError(c, http.StatusNotFound, "job_not_found")
		return
	}
	if _, err := s.JobAdmin.RetryJob(ctx(c), actor(c), id); err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/mail?done=job_retried")
}
