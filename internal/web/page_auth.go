package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
)

// home sends each role to where its work is.
func (s *Server) home(c *gin.Context) {
	u, ok := signedIn(c)
	if !ok {
		c.Redirect(http.StatusSeeOther, "/login")
		return
	}
	c.Redirect(http.StatusSeeOther, map[account.Role]string{account.Buyer: "/claims", account.Rep: "/queue",
		account.Technician: "/scan", account.Admin: "/admin", account.Seller: "/disputes"}[u.Role])
}

func (s *Server) showLogin(c *gin.Context) {
	p := s.newPage(c, "login.title")
	p.Form = map[string]string{"next": c.Query("next")}
	s.render(c, http.StatusOK, "login", p)
}

// safeNext keeps a post-login redirect on this site: a path starting with
// one slash, without backslashes or control characters (browsers drop tabs
// and newlines, so "/\t/evil.example" would become "//evil.example"), and
// with no scheme or host of its own.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || unicode.IsSpace(r) }) {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// loginPage signs in with a fresh session token (the old one, if any, is
// revoked: a session is never carried across a sign-in).
func (s *Server) loginPage(c *gin.Context) {
	if !s.allow(c, s.loginLimit, loginBucket(c, c.PostForm("email"))) {
		s.pageError(c, http.StatusTooManyRequests, "rate_limited")
		return
	}
	sess, err := s.signIn(c, c.PostForm("email"), c.PostForm("password"))
	if err != nil {
		p := s.withErrors(s.newPage(c, "login.title"), c, err)
		s.render(c, http.StatusUnauthorized, "login", p)
		return
	}
	if old, err := c.Cookie(sessionCookie); err == nil && old != "" {
		_ = s.Accounts.Logout(ctx(c), old)
	}
	s.setCookie(c, sessionCookie, sess.Token, 0)
	s.setCookie(c, preCookie, "", -1)
	c.Redirect(http.StatusSeeOther, safeNext(c.PostForm("next")))
}

// logoutPage ends the session.
func (s *Server) logoutPage(c *gin.Context) {
	if tok := c.GetString(keyToken); tok != "" {
		_ = s.Accounts.Logout(ctx(c), tok)
	}
	s.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/login")
}
