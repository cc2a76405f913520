package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// health answers 200 when every dependency answers, else 503 naming the
// ones that did not.
func (s *Server) health(c *gin.Context) {
	status, checks := http.StatusOK, gin.H{}
	for name, p := range s.Health {
		if err := p.Ping(); err != nil {
			s.Logger.Warn("health check failed", "dependency", name, "err", err)
			status, checks[name] = http.StatusServiceUnavailable, "down"
			continue
		}
		checks[name] = "ok"
	}
	c.JSON(status, gin.H{"status": map[bool]string{true: "ok", false: "down"}[status == http.StatusOK], "checks": checks})
}
