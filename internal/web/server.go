// Package web is the HTTP edge: the JSON API under /api/v1 (and, later, the
// HTML pages), built with Gin on the same services. Handlers parse, call a
// service and render; every route's roles are declared in routes.go.
package web

import (
	"context"
	"log/slog"
	"net/http"

	"html/template"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/dispute"
	"rma/internal/i18n"
	"rma/internal/mail"
	"rma/internal/order"
	"rma/internal/refund"
	"rma/internal/report"
	"rma/internal/seller"
	"rma/internal/shipping"
	"rma/internal/webhook"
)

// Pinger is something /healthz checks.
type Pinger interface{ Ping() error }

// Deps are what the HTTP edge is built from.
type Deps struct {
	Accounts *account.Service
	Claims   *claim.Service
	Centers  *center.Service
	Orders   *order.Service
	Sellers  *seller.Service
	Disputes *dispute.Service
	Refunds  *refund.Service
	Webhooks *webhook.Service
	Shipping *shipping.Service
	Mailer   *mail.Mailer
	Reports  *report.Service
	Catalog  *i18n.Catalog
	Logger   *slog.Logger
	// Secret derives the pages' CSRF tokens; BaseURL says whether cookies
	// are Secure.
	Secret, BaseURL string
	// Health lists the dependencies /healthz checks, by name.
	Health map[string]Pinger
	Limits Limits
}

// Server holds the handlers' dependencies.
type Server struct {
	Deps
	loginLimit    *limiter
	registerLimit *limiter
	trackLimit    *limiter
	pages         *template.Template
	crossOrigin   *http.CrossOriginProtection
}

// New returns the HTTP handler of the whole service.
func New(d Deps) (http.Handler, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Limits == (Limits{}) {
		d.Limits = DefaultLimits
	}
	s := &Server{
		Deps:          d,
		loginLimit:    newLimiter(d.Limits.Login),
		registerLimit: newLimiter(d.Limits.Register),
		trackLimit:    newLimiter(d.Limits.Track),
		crossOrigin:   http.NewCrossOriginProtection(),
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	_ = r.SetTrustedProxies(nil) // client IPs come from the socket unless a proxy is configured
	r.Use(s.recoverPanics, s.securityHeaders, s.pickLanguage)
	s.routes(r)
	return r, nil
}

// ctx returns the request's context.
func ctx(c *gin.Context) context.Context { return c.Request.Context() }
