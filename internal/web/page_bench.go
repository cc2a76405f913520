package web

import (
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"rma/internal/bench"
	"rma/internal/evidence"
)

// benchDone comes back to the claim's page after a bench form, or shows the
// page again with the form's problems.
func (s *Server) benchDone(c *gin.Context, rma, what string, err error) {
	if err != nil {
		status := statusOfErr(err)
		if status == http.StatusNotFound || status >= 500 {
			s.pageFail(c, err)
			return
		}
		s.claimPage(c, status, s.withErrors(s.newPage(c, "claim.title"), c, err), rma)
		return
	}
	c.Redirect(http.StatusSeeOther, "/claims/"+rma+"?done="+what)
}

// intakeCheckPage records the checklist from the technician's claim page;
// accessories come one per line or separated by commas.
func (s *Server) intakeCheckPage(c *gin.Context) {
	rma := c.Param("rma")
	acc := strings.FieldsFunc(c.PostForm("accessories"), func(r rune) bool { return r == ',' || r == '\n' })
	_, _, err := s.Bench.RecordIntake(ctx(c), actor(c), rma, bench.IntakeRequest{Condition: c.PostForm("condition"),
		ConditionNote: c.PostForm("condition_note"), Accessories: acc, ActivationLock: c.PostForm("activation_lock")})
	s.benchDone(c, rma, "intake-check", err)
}

// attachPage keeps a file sent from a claim's page.
func (s *Server) attachPage(c *gin.Context) {
	rma := c.Param("rma")
	fh, err := c.FormFile("file")
	if err != nil {
		s.benchDone(c, rma, "attach", evidence.ErrEmpty)
		return
	}
	if fh.Size > evidence.MaxSize {
		s.benchDone(c, rma, "attach", evidence.ErrTooLarge)
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.pageFail(c, err)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, evidence.MaxSize+1))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	_, err = s.Evidence.Attach(ctx(c), actor(c), rma, fh.Filename, data)
	s.benchDone(c, rma, "attach", err)
}
