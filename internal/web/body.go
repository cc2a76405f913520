package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"rma/internal/evidence"
	"rma/internal/fault"
)

// defaultBodyLimit is the largest request body of any route not listed in
// bodyLimits: forms and JSON are far smaller.
const defaultBodyLimit = 1 << 20

// attachmentLimit is an attachment's largest file and its multipart
// envelope.
const attachmentLimit = evidence.MaxSize + 64<<10

// bodyLimits are the routes that take files, by method and route pattern.
var bodyLimits = map[string]int64{
	"POST /admin/orders":                        11 << 20, // a CSV of up to 10 MB in a form
	"POST /api/v1/claims/:rma/attachments":      attachmentLimit,
	"POST /bench/:rma/attachments":              attachmentLimit,
	"POST /api/v1/disputes/:number/attachments": attachmentLimit,
	"POST /disputes/:number/attachments":        attachmentLimit,
}

// tooLargeReason says what a body over its route's limit is: a file too
// large on the routes that take one.
var tooLargeReason = map[string]string{
	"POST /api/v1/claims/:rma/attachments":      "file_too_large",
	"POST /bench/:rma/attachments":              "file_too_large",
	"POST /api/v1/disputes/:number/attachments": "file_too_large",
	"POST /disputes/:number/attachments":        "file_too_large",
}

// limitBody runs before anything reads the body: a declared length over the
// route's limit is refused at once (nothing is read, nothing reaches the
// disk), and a body without a declared length is cut off at the limit.
// Multipart forms under the limit stay in memory (gin keeps 32 MB there).
func (s *Server) limitBody(c *gin.Context) {
	max, ok := bodyLimits[c.Request.Method+" "+c.FullPath()]
	if !ok {
		max = defaultBodyLimit
	}
	if c.Request.ContentLength > max {
		s.security(c, "body_too_large", "length", c.Request.ContentLength)
		c.Header("Connection", "close")
		reason := tooLargeReason[c.Request.Method+" "+c.FullPath()]
		if reason == "" {
			reason = "request_too_large"
		}
		if strings.HasPrefix(c.Request.URL.Path, "/api/") || c.FullPath() == "" {
			s.fail(c, fault.New(fault.TooLarge, reason))
			return
		}
		s.pageError(c, http.StatusRequestEntityTooLarge, reason)
		return
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
	}
	c.Next()
}
