package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"rma/internal/promise"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/fault"
	"rma/internal/i18n"
	"rma/templates"
)

// parseTemplates loads every page template once, at start.
func parseTemplates() (*template.Template, error) {
	t, err := template.New("pages").ParseFS(templates.FS, "*.html")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	return t, nil
}

// page is what every page template gets: the language, a translator, the
// signed-in user, the form token and the page's own data.
type page struct {
	Lang   string
	cat    *i18n.Catalog
	User   *account.User
	CSRF   string
	Path   string
	Flash  string
	Title  string
	Errors map[string]string // field -> translated message
	Form   map[string]string // the values a refused form comes back with
	Loc    *time.Location
	Data   any
}

// T translates a message key.
func (p page) T(key string) string { return p.cat.T(p.Lang, key, nil) }

// Tf translates a key with named arguments: Tf "key" "Name" value ...
func (p page) Tf(key string, kv ...any) string {
	args := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		args[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return p.cat.T(p.Lang, key, args)
}

// N translates a message with plural forms for count: N "key" count
// "Name" value ...
func (p page) N(key string, count int, kv ...any) string {
	args := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		args[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return p.cat.N(p.Lang, key, count, args)
}

// Status names a claim status.
func (p page) Status(st any) string { return p.T(fmt.Sprint("status.", st)) }

// Coverage names a coverage.
func (p page) Coverage(k any) string { return p.T(fmt.Sprint("coverage.", k)) }

// Promise says in plain words how a promise stands: by when it was made,
// and when it was kept or broken, or why it is on hold.
func (p page) Promise(pr promise.Promise) string {
	due := p.Until(pr.DueAt)
	switch {
	case pr.State == promise.Kept:
		return p.Tf("promise.kept", "Due", due, "At", p.Date(pr.SettledAt))
	case pr.State == promise.Broken:
		return p.Tf("promise.broken", "Due", due, "At", p.Date(pr.BrokenAt))
	case pr.State == promise.Void:
		return p.T("promise.void")
	case pr.Paused():
		last := pr.Pauses[len(pr.Pauses)-1]
		return p.Tf("promise.paused", "From", p.Date(last.From), "Reason", p.T("promise.pause."+last.Reason))
	}
	return p.Tf("promise.open", "Due", due)
}

// Date writes a day in the page's language ("Tuesday 2 December 2026").
func (p page) Date(v any) string { return p.day(v, "date.long", "weekday.") }

// Until writes a day as it reads after "until"/"by" (Russian puts the
// weekday in the genitive: "до четверга, 3 декабря 2026").
func (p page) Until(v any) string { return p.day(v, "date.until", "weekday_until.") }

func (p page) day(v any, form, weekday string) string {
	t, ok := timeOf(v)
	if !ok {
		return "—"
	}
	if form == "date.until" {
		return p.cat.Until(p.Lang, t, p.Loc)
	}
	return p.cat.Date(p.Lang, t, p.Loc)
}

// DateTime writes a day and a time of day.
func (p page) DateTime(v any) string {
	t, ok := timeOf(v)
	if !ok {
		return "—"
	}
	if p.Loc != nil {
		t = t.In(p.Loc)
	}
	return p.Date(t) + ", " + t.Format("15:04")
}

// ISO writes a machine-readable time for <time datetime>.
func (p page) ISO(v any) string {
	t, ok := timeOf(v)
	if !ok {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func timeOf(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, !t.IsZero()
	case *time.Time:
		if t == nil {
			return time.Time{}, false
		}
		return *t, true
	}
	return time.Time{}, false
}

// Err returns the message for a field of a refused form.
func (p page) Err(field string) string { return p.Errors[field] }

// Val returns a refused form's value of a field.
func (p page) Val(field string) string { return p.Form[field] }

// Is reports whether the user has the role.
func (p page) Is(role string) bool { return p.User != nil && string(p.User.Role) == role }

type languageLink struct {
	Code, Name, Href string
	Current          bool
}

// Languages lists the language switcher's links, to this same page.
func (p page) Languages() []languageLink {
	names := map[string]string{"en": "English", "ru": "Русский", "es": "Español"}
	out := make([]languageLink, len(i18n.Languages))
	for i, l := range i18n.Languages {
		out[i] = languageLink{Code: l, Name: names[l], Href: p.Path + "?lang=" + l, Current: l == p.Lang}
	}
	return out
}

// pagePath is the path the page's own links (the language switcher) point
// at: the request's path only when a route matched it, so that a 404 under
// //evil.example/x links to this site's start page, not to that host.
func pagePath(c *gin.Context) string {
	if c.FullPath() == "" || safeNext(c.Request.URL.Path) != c.Request.URL.Path {
		return "/"
	}
	return c.Request.URL.Path
}

// newPage starts a page for the request.
func (s *Server) newPage(c *gin.Context, title string) page {
	p := page{Lang: language(c), cat: s.Catalog, CSRF: c.GetString(keyCSRF), Path: pagePath(c), Loc: time.UTC}
	if u, ok := signedIn(c); ok {
		p.User = &u
	}
	p.Title = p.T(title)
	if done := c.Query("done"); done != "" && s.Catalog.Has("done."+done) {
		p.Flash = p.T("done." + done)
	}
	return p
}

// withErrors fills a page with a refused form's field messages and values.
func (s *Server) withErrors(p page, c *gin.Context, err error) page {
	p.Errors, p.Form = map[string]string{}, map[string]string{}
	_ = c.Request.ParseForm()
	for k, v := range c.Request.PostForm {
		if k != "_csrf" && !strings.Contains(k, "password") && len(v) > 0 {
			p.Form[k] = v[0]
		}
	}
	if fe, ok := fault.As(err); ok {
		p.Errors["_"] = s.Catalog.T(p.Lang, fe.Reason, fe.Args)
		for f, reason := range fe.Fields {
			p.Errors[f] = s.Catalog.T(p.Lang, reason, fe.Args)
		}
	}
	return p
}

// render writes a page with the headers every HTML answer carries: a strict
// content security policy (no inline scripts or styles) and no framing.
func (s *Server) render(c *gin.Context, status int, name string, p page) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; "+
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	c.Status(status)
	if err := s.pages.ExecuteTemplate(c.Writer, name, p); err != nil {
		s.Logger.Error("render page", "page", name, "err", err)
	}
}

// pageError shows an error page with a translated message.
func (s *Server) pageError(c *gin.Context, status int, reason string) {
	if status == http.StatusForbidden {
		s.security(c, "forbidden", "reason", reason)
	}
	p := s.newPage(c, "error.title")
	p.Data = s.Catalog.T(p.Lang, reason, nil)
	s.render(c, status, "error", p)
	c.Abort()
}

// pickPageLanguage: ?lang= (remembered in a cookie), then the cookie, then
// (in pageSession) the user's own setting, then Accept-Language.
func (s *Server) pickPageLanguage(c *gin.Context) {
	if q := c.Query("lang"); q != "" {
		l := s.Catalog.Pick(q)
		s.setCookie(c, langCookie, l, 365*24*3600)
		c.Set(keyLang, l)
	} else if l, err := c.Cookie(langCookie); err == nil && l != "" {
		c.Set(keyLang, s.Catalog.Pick(l))
	} else {
		c.Set(keyLang, "")
	}
	c.Next()
}

// pageLanguageFallback applies Accept-Language when nothing else chose.
func (s *Server) pageLanguageFallback(c *gin.Context) {
	if c.GetString(keyLang) == "" {
		c.Set(keyLang, s.Catalog.Pick(c.GetHeader("Accept-Language")))
	}
	c.Next()
}
