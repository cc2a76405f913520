package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/fault"
)

const (
	keyLang  = "lang"
	keyUser  = "user"
	keyToken = "token"
)

func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.fail(c, fmt.Errorf("panic: %v\n%s", r, debug.Stack()))
		}
	}()
	c.Next()
}

func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		h.Set("Cache-Control", "no-store")
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, bodyLimit(c.Request))
	}
	c.Next()
}

// pickLanguage chooses the language of messages: ?lang= first, then
// Accept-Language (API.md: the request says what it wants); the signed-in
// user's own setting is the fallback, applied by authenticate.
func (s *Server) pickLanguage(c *gin.Context) {
	q := c.Query("lang")
	al := c.GetHeader("Accept-Language")
	if q == "" && al == "" {
		c.Set(keyLang, "")
	} else {
		c.Set(keyLang, s.Catalog.Pick(q, al))
	}
	c.Next()
}

// language returns the language picked for the request.
func language(c *gin.Context) string {
	if l := c.GetString(keyLang); l != "" {
		return l
	}
	return "en"
}

// authenticate resolves the bearer token to a user.
func (s *Server) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		s.fail(c, fault.New(fault.Unauthenticated, "unauthenticated"))
		return
	}
	u, err := s.Accounts.Authenticate(ctx(c), strings.TrimSpace(token))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(keyUser, u)
	c.Set(keyToken, strings.TrimSpace(token))
	if c.GetString(keyLang) == "" {
		c.Set(keyLang, u.Language)
	}
	c.Next()
}

// user returns the signed-in user.
func user(c *gin.Context) account.User {
	u, _ := c.MustGet(keyUser).(account.User)
	return u
}

// actor returns the signed-in user as the domain sees them.
func actor(c *gin.Context) account.Actor { return user(c).Actor() }

// requireRole lets only the given roles through.
func (s *Server) requireRole(roles ...account.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !slices.Contains(roles, user(c).Role) {
			s.fail(c, fault.New(fault.Forbidden, "forbidden"))
			return
		}
		c.Next()
	}
}
