package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/fault"
)

// Cookies of the HTML pages. The session cookie holds a token of the same
// kind as the API's (stored hashed, expiring, revoked at sign-out); a new
// one is issued at every sign-in, so a session is never carried across one.
const (
	sessionCookie = "rma_session"
	preCookie     = "rma_pre" // before sign-in: seeds the sign-in form's CSRF token
	langCookie    = "rma_lang"
	keyCSRF       = "csrf"
)

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.BaseURL, "https://") }

func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode})
}

// csrfToken derives the form token from the cookie that seeds it: forms of
// a session carry a token only that session's cookie matches.
func (s *Server) csrfToken(seed string) string {
	m := hmac.New(sha256.New, []byte(s.Secret))
	m.Write([]byte("csrf:" + seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// pageSession reads the session cookie (signed-in pages), or makes sure the
// pre-session cookie exists (for the sign-in form), and sets the request's
// CSRF token.
func (s *Server) pageSession(c *gin.Context) {
	if tok, err := c.Cookie(sessionCookie); err == nil && tok != "" {
		if u, err := s.Accounts.Authenticate(ctx(c), tok); err == nil {
			c.Set(keyUser, u)
			c.Set(keyToken, tok)
			c.Set(keyCSRF, s.csrfToken(tok))
			if c.GetString(keyLang) == "" {
				c.Set(keyLang, u.Language)
			}
			c.Next()
			return
		}
	}
	pre, err := c.Cookie(preCookie)
	if err != nil || len(pre) < 20 {
		pre = randomToken()
		s.setCookie(c, preCookie, pre, 0)
	}
	c.Set(keyCSRF, s.csrfToken(pre))
	c.Next()
}

// checkCSRF refuses a state-changing form whose token does not match the
// session, and any cross-origin one (net/http's CrossOriginProtection reads
// Sec-Fetch-Site and Origin).
func (s *Server) checkCSRF(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	if err := s.crossOrigin.Check(c.Request); err != nil {
		s.pageError(c, http.StatusForbidden, "csrf_failed")
		return
	}
	sent := c.PostForm("_csrf")
	if sent == "" {
		sent = c.GetHeader("X-CSRF-Token")
	}
	if want := c.GetString(keyCSRF); want == "" || !hmac.Equal([]byte(sent), []byte(want)) {
		s.pageError(c, http.StatusForbidden, "csrf_failed")
		return
	}
	c.Next()
}

// signedIn returns the signed-in user of a page, if any.
func signedIn(c *gin.Context) (account.User, bool) {
	v, ok := c.Get(keyUser)
	if !ok {
		return account.User{}, false
	}
	u, ok := v.(account.User)
	return u, ok
}

// pageRole lets the roles through; anyone else signs in first (or is told
// the page is not theirs).
func (s *Server) pageRole(roles ...account.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, ok := signedIn(c)
		if !ok {
			c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.Path))
			c.Abort()
			return
		}
		for _, r := range roles {
			if u.Role == r {
				c.Next()
				return
			}
		}
		s.pageError(c, http.StatusForbidden, "forbidden")
	}
}

// pageFail shows an error from a service on an error page.
func (s *Server) pageFail(c *gin.Context, err error) {
	fe, ok := fault.As(err)
	if !ok {
		s.Logger.Error("page failed", "path", c.FullPath(), "err", err)
		s.pageError(c, http.StatusInternalServerError, "internal")
		return
	}
	s.pageError(c, statusOf[fe.Kind], fe.Reason)
}
