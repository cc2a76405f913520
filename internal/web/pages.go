package web

import (
	"fmt"
	"html/template"

	"github.com/gin-gonic/gin"

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

// page is what every page template gets: the language and a translator.
type page struct {
	Lang string
	cat  *i18n.Catalog
}

// T translates a message key for the page.
func (p page) T(key string) string { return p.cat.T(p.Lang, key, nil) }

type languageLink struct {
	Code, Name string
	Current    bool
}

// Languages lists the language switcher's links.
func (p page) Languages() []languageLink {
	names := map[string]string{"en": "English", "ru": "Русский", "es": "Español"}
	out := make([]languageLink, len(i18n.Languages))
	for i, l := range i18n.Languages {
		out[i] = languageLink{Code: l, Name: names[l], Current: l == p.Lang}
	}
	return out
}

func (s *Server) newPage(c *gin.Context) page { return page{Lang: language(c), cat: s.Catalog} }

// render writes a page with the headers every HTML answer carries: a strict
// content security policy (no inline scripts or styles) and no framing.
func (s *Server) render(c *gin.Context, status int, name string, data any) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := s.pages.ExecuteTemplate(c.Writer, name, data); err != nil {
		s.Logger.Error("render page", "page", name, "err", err)
	}
}
