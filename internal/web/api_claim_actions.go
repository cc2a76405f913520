package web

import (
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/bench"
	"rma/internal/claim"
)

// claimBody is the claim object as the caller may read it: staff see who
// took each step, buyers the roles only.
func (s *Server) claimBody(c *gin.Context, v claim.View) claimJSON {
	j := renderView(v, s.Claims.Now())
	pg := s.newPage(c, "")
	pg.Loc = v.Center.Location()
	j.Hold = s.hold(v.Claim, pg.Lang, func(t *time.Time) string { return pg.Date(t) })
	if user(c).Role != account.Buyer {
		j = withActorNames(j, v)
	}
	return j
}

// apiClaimAction serves a catalogue entry as a JSON API route: the body is
// the entry's request as JSON, the answer the claim after the action.
func (s *Server) apiClaimAction(a claimAction) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, ok, err := a.run(s, c, func(req any) bool { return s.bind(c, req) })
		if !ok {
			return
		}
		var low []bench.Stock
		if err == nil && a.Path == diagnosisPath {
			// The parts this diagnosis used that are now at or below their
			// warning level.
			if low, err = s.Bench.LowStock(ctx(c), actor(c), v.Claim); err != nil {
				s.fail(c, err)
				return
			}
		}
		s.answerBench(c, v, low, err)
	}
}
