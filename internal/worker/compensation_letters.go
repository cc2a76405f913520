package worker

import (
	"context"
	"strings"
	"time"

	"rma/internal/i18n"
	"rma/internal/notify"
	"rma/internal/refund"
)

// CompensationTeller lists the late-delivery compensations whose buyer was
// not told yet and records that they were.
type CompensationTeller interface {
	Untold(ctx context.Context) ([]refund.Notice, error)
	MarkTold(ctx context.Context, id string, at time.Time) error
}

// tellCompensations writes to each buyer owed a late-delivery compensation,
// in their language, then records it; the letter's key makes it once even
// when the record fails and the next sweep tries again.
func (r *Runner) tellCompensations(ctx context.Context) int {
	if r.tell == nil {
		return 0
	}
	ns, err := r.tell.Untold(ctx)
	if err != nil {
		r.log.Warn("sweep: untold compensations", "err", err)
		return 0
	}
	n := 0
	for _, c := range ns {
		// A buyer without an account is written to in the language of the
		// order's country when we speak it, else in English.
		lang := c.Language
		if lang == "" {
			lang = i18n.CountryLanguage(c.Country)
		}
		if lang == "" {
			lang = i18n.Languages[0]
		}
		amount := c.Refund.Amount.String()
		if lang != "en" {
			amount = strings.Replace(amount, ".", ",", 1)
		}
		l := notify.Letter{Key: "late_compensation", Lang: lang, Name: c.BuyerName,
			Args: map[string]any{"Order": c.Refund.OrderNumber, "Product": c.Product, "Amount": amount},
			Link: r.shipping.Signer().Page("/login"), LinkLabel: "mail.sign_in",
			Details: [][2]string{{"mail.order", c.Refund.OrderNumber}, {"dispute.refunds", amount}}}
		if err := r.send(ctx, "late-compensation:"+c.Refund.ID, c.BuyerEmail, lang, c.Refund.OrderNumber, l); err != nil {
			r.log.Warn("sweep: tell a compensation", "refund", c.Refund.ID, "err", err)
			continue
		}
		if err := r.tell.MarkTold(ctx, c.Refund.ID, r.claims.Now()); err != nil {
			r.log.Warn("sweep: mark a compensation told", "refund", c.Refund.ID, "err", err)
			continue
		}
		n++
	}
	return n
}
