package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// health answers 200 when every dependency answers, else 503 naming the
// ones that did not (API.md's /healthz).
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

// ReadyCheck is one part /readyz reports. Only a Required part that fails
// makes the process unready (503); the others are reported as degraded.
type ReadyCheck struct {
	Name     string
	Required bool
	Check    func(ctx context.Context) error
}

// livez answers 200 while the process can answer at all: for a restart
// policy, which must not restart a process whose database is down.
func (s *Server) livez(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// readyz reports each part (the database, Redis, a worker seen in the last
// minute) and answers 503 only when a required one fails: without Redis
// or a worker the service still takes claims, and the outbox keeps their
// jobs until both are back.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(ctx(c), 3*time.Second)
	defer cancel()
	status, overall, checks := http.StatusOK, "ok", gin.H{}
	for _, r := range s.Ready {
		if err := r.Check(ctx); err != nil {
			checks[r.Name] = gin.H{"status": "down", "required": r.Required, "error": err.Error()}
			if r.Required {
				status, overall = http.StatusServiceUnavailable, "down"
			} else if overall == "ok" {
				overall = "degraded"
			}
			continue
		}
		checks[r.Name] = gin.H{"status": "ok", "required": r.Required}
	}
	c.JSON(status, gin.H{"status": overall, "checks": checks})
}

// serveMetrics serves /metrics on the main address to bearers of the
// metrics token; without a token it is not served here (404), only on its
// own address.
func (s *Server) serveMetrics(c *gin.Context) {
	tok, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if s.Metrics == nil || s.MetricsToken == "" {
		s.notFound(c)
		return
	}
	if !ok || subtle.ConstantTimeCompare([]byte(tok), []byte(s.MetricsToken)) != 1 {
		s.security(c, "metrics_refused")
		c.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	s.Metrics.Handler().ServeHTTP(c.Writer, c.Request)
}
