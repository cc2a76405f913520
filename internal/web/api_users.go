package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
)

// suspendUser suspends an account: its sessions and tokens stop working at
// once.
func (s *Server) suspendUser(c *gin.Context) { s.setStanding(c, account.Suspended) }

// activateUser lets a suspended account sign in again.
func (s *Server) activateUser(c *gin.Context) { s.setStanding(c, account.Active) }

func (s *Server) setStanding(c *gin.Context, st account.Status) {
	u, err := s.Accounts.SetStanding(ctx(c), actor(c), c.Param("id"), st)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.Logger.Info("account standing changed", "log", "audit", "by", user(c).ID, "user", u.ID, "status", string(st),
		"request_id", c.GetString(keyRequestID))
	c.JSON(http.StatusOK, renderUser(u))
}
