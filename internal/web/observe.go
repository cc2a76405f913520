package web

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"
)

const keyRequestID = "request_id"

// observe gives every request an id (the caller's X-Request-ID when it is
// sane, else a new one, echoed in the answer) and, once answered, writes
// its access-log line and its metrics. The route is the pattern, never the
// path, so that logs and series hold no RMA numbers or e-mails.
func (s *Server) observe(c *gin.Context) {
	began := time.Now()
	id := c.GetHeader("X-Request-ID")
	if !saneRequestID(id) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(keyRequestID, id)
	c.Header("X-Request-ID", id)
	c.Next()
	took := time.Since(began)
	route := c.FullPath()
	if s.Metrics != nil {
		s.Metrics.ObserveRequest(route, c.Request.Method, c.Writer.Status(), took)
	}
	if route == "" {
		route = "unmatched"
	}
	s.Logger.LogAttrs(c.Request.Context(), slog.LevelInfo, "request", slog.String("log", "access"),
		slog.String("request_id", id), slog.String("method", c.Request.Method), slog.String("route", route),
		slog.Int("status", c.Writer.Status()), slog.Float64("duration_ms", float64(took.Microseconds())/1000),
		slog.Int("bytes", c.Writer.Size()), slog.String("client", c.ClientIP()))
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// security writes a line to the security log (failed sign-ins, lockouts,
// rate limits, refusals, forged labels, permission denials) and counts the
// event. It names the route, the client and the signed-in user, never a
// password or the e-mail typed.
func (s *Server) security(c *gin.Context, event string, attrs ...any) {
	if s.Metrics != nil {
		s.Metrics.Security(event)
	}
	args := append([]any{"log", "security", "event", event, "request_id", c.GetString(keyRequestID),
		"route", c.FullPath(), "client", c.ClientIP()}, attrs...)
	if u, ok := signedIn(c); ok {
		args = append(args, "user", u.ID, "role", string(u.Role))
	}
	s.Logger.Warn("security", args...)
}
