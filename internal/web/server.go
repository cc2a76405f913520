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
	"rma/internal/bench"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/desk"
	"rma/internal/dispute"
	"rma/internal/evidence"
	"rma/internal/i18n"
	"rma/internal/limit"
	"rma/internal/mail"
	"rma/internal/metrics"
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
	// Links signs buyers up and resets passwords by e-mailed links.
	Links    *account.Links
	Claims   *claim.Service
	Centers  *center.Service
	Orders   *order.Service
	Sellers  *seller.Service
	Disputes *dispute.Service
	Refunds  *refund.Service
	Webhooks *webhook.Service
	Shipping *shipping.Service
	Evidence *evidence.Service
	// DisputeFiles keeps the evidence of disputes.
	DisputeFiles *evidence.DisputeFiles
	// ReturnSlips prints disputes' return slips and reads them back.
	ReturnSlips *shipping.ReturnSlips
	Bench       *bench.Service
	Mailer      *mail.Mailer
	Reports     *report.Service
	// Desk is the rep's workbench: internal notes, saved replies, the
	// queue's facts and "next claim".
	Desk *desk.Service
	// JobAdmin lists and retries the jobs given up.
	JobAdmin JobAdmin
	Catalog  *i18n.Catalog
	Logger   *slog.Logger
	// Secret derives the pages' CSRF tokens; BaseURL says whether cookies
	// are Secure.
	Secret, BaseURL string
	// Health lists the dependencies /healthz checks, by name.
	Health map[string]Pinger
	Limits Limits
	// RateCounter holds the rate-limit counts: shared through Redis when
	// the service runs on a real one (a bounded in-memory one when nil).
	RateCounter limit.Counter
	// Metrics records the HTTP series and serves /metrics (none when nil).
	Metrics *metrics.Metrics
	// MetricsToken, when set, opens /metrics on this handler to bearers of
	// it; otherwise /metrics is served on its own address or not at all.
	MetricsToken string
	// Ready lists what /readyz reports.
	Ready []ReadyCheck
}

// Server holds the handlers' dependencies.
type Server struct {
	Deps
	limiters
	pages       *template.Template
	crossOrigin *http.CrossOriginProtection
}

// New returns the HTTP handler of the whole service.
func New(d Deps) (http.Handler, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	d.Limits = d.Limits.withDefaults()
	if d.RateCounter == nil {
		d.RateCounter = limit.NewMemory(100_000, nil)
	}
	s := &Server{
		Deps:        d,
		limiters:    newLimiters(d.Limits, d.RateCounter),
		crossOrigin: http.NewCrossOriginProtection(),
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	_ = r.SetTrustedProxies(nil) // client IPs come from the socket unless a proxy is configured
	r.Use(s.observe, s.recoverPanics, s.securityHeaders, s.pickLanguage, s.limitBody)
	s.routes(r)
	return r, nil
}

// ctx returns the request's context.
func ctx(c *gin.Context) context.Context { return c.Request.Context() }
