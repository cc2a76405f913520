package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

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
