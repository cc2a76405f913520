package web

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/fault"
)

// bind decodes the JSON body into v; an empty body counts as {}. A body that
// is not JSON of the right shape is answered 400 and bind returns false.
func (s *Server) bind(c *gin.Context, v any) bool {
	var body []byte
	if cached, ok := c.Get(gin.BodyBytesKey); ok {
		body, _ = cached.([]byte)
	} else {
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			s.fail(c, fault.New(fault.BadRequest, "bad_request"))
			return false
		}
		body = b
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return true
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil || dec.More() {
		s.fail(c, fault.New(fault.BadRequest, "bad_request"))
		return false
	}
	return true
}

// parseTime reads an RFC 3339 time or a plain date (midnight UTC).
func parseTime(s string) (*time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		u := t.UTC()
		return &u, true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return &t, true
	}
	return nil, false
}

// listParams reads ?limit= and ?cursor=.
func listParams(c *gin.Context) (limit int, cursor string, err error) {
	limit = 50
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return 0, "", fault.Field("limit", "limit_invalid")
		}
		limit = n
	}
	cursor = c.Query("cursor")
	if cursor != "" && !validID(cursor) {
		return 0, "", fault.Field("cursor", "cursor_invalid")
	}
	return limit, cursor, nil
}

// validID reports whether s looks like one of our ULID ids.
func validID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789ABCDEFGHJKMNPQRSTVWXYZ", r) {
			return false
		}
	}
	return true
}
