package web

import (
	"net/http"
	"sort"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// checkText refuses a page form whose values are not valid UTF-8 with a 422
// naming the field, before any handler stores them. (JSON bodies need no
// check: the decoder replaces invalid bytes.)
func (s *Server) checkText(c *gin.Context) {
	if c.Request.Method != http.MethodPost {
		c.Next()
		return
	}
	// The multipart form (imports) is parsed by its handler; values only.
	_ = c.Request.ParseMultipartForm(32 << 20)
	values := c.Request.PostForm
	if c.Request.MultipartForm != nil {
		values = c.Request.MultipartForm.Value
	}
	var bad []string
	for name, vs := range values {
		for _, v := range vs {
			if !utf8.ValidString(v) || !utf8.ValidString(name) {
				bad = append(bad, name)
				break
			}
		}
	}
	if len(bad) == 0 {
		c.Next()
		return
	}
	sort.Strings(bad)
	field := bad[0]
	if !utf8.ValidString(field) {
		field = "?"
	}
	p := s.newPage(c, "error.title")
	p.Data = s.Catalog.T(p.Lang, "field_invalid_utf8_named", map[string]any{"Field": field})
	s.render(c, http.StatusUnprocessableEntity, "error", p)
	c.Abort()
}
