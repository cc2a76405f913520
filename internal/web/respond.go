package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"rma/internal/fault"
)

// statusOf is the one table from error kinds to HTTP statuses (API.md).
var statusOf = map[fault.Kind]int{
	fault.BadRequest:      http.StatusBadRequest,
	fault.TooLarge:        http.StatusRequestEntityTooLarge,
	fault.Invalid:         http.StatusUnprocessableEntity,
	fault.NotFound:        http.StatusNotFound,
	fault.Conflict:        http.StatusConflict,
	fault.Unauthenticated: http.StatusUnauthorized,
	fault.Forbidden:       http.StatusForbidden,
	fault.RateLimited:     http.StatusTooManyRequests,
	fault.Internal:        http.StatusInternalServerError,
	fault.Unavailable:     http.StatusServiceUnavailable,
}

type errorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Reason  string            `json:"reason"`
	Fields  map[string]string `json:"fields,omitempty"`
	// Reasons gives the reason code of each field in Fields.
	Reasons map[string]string `json:"reasons,omitempty"`
}

// fail answers with the error in the request's language. Errors that are not
// faults are logged here, once, and answered as internal.
func (s *Server) fail(c *gin.Context, err error) {
	fe, ok := fault.As(err)
	if !ok {
		if errors.Is(err, c.Request.Context().Err()) && c.Request.Context().Err() != nil {
			c.AbortWithStatus(499) // the client went away
			return
		}
		s.Logger.Error("request failed", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		fe = fault.New(fault.Internal, "internal")
	}
	if fe.Kind == fault.Forbidden {
		s.security(c, string(fe.Kind), "reason", fe.Reason)
	}
	lang := language(c)
	args := map[string]any{}
	for k, v := range fe.Args {
		args[k] = v
	}
	if st, ok := args["Status"].(string); ok {
		args["Status"] = s.Catalog.T(lang, "status."+st, nil)
	}
	body := errorBody{Code: string(fe.Kind), Message: s.Catalog.T(lang, fe.Reason, args), Reason: fe.Reason}
	if len(fe.Fields) > 0 {
		body.Fields, body.Reasons = map[string]string{}, map[string]string{}
		for f, reason := range fe.Fields {
			body.Fields[f] = s.Catalog.T(lang, reason, args)
			body.Reasons[f] = reason
		}
	}
	status := statusOf[fe.Kind]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if status == http.StatusServiceUnavailable {
		s.Logger.Warn("request failed: unavailable", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		c.Header("Retry-After", "5")
	}
	c.AbortWithStatusJSON(status, gin.H{"error": body})
}

func (s *Server) notFound(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		s.fail(c, fault.New(fault.NotFound, "not_found"))
		return
	}
	s.pageError(c, http.StatusNotFound, "not_found")
}

// statusOfErr is the HTTP status an error answers with.
func statusOfErr(err error) int {
	if fe, ok := fault.As(err); ok && statusOf[fe.Kind] != 0 {
		return statusOf[fe.Kind]
	}
	return http.StatusInternalServerError
}

func itoa(n int) string { return strconv.Itoa(n) }
