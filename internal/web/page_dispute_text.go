package web

import (
	"fmt"
	"strings"

	"rma/internal/money"
	"rma/internal/promise"
)

// Money writes an exact amount as the page's language writes numbers:
// "12.30 EUR" in English, "12,30 EUR" in Russian and Spanish.
func (p page) Money(m money.Money) string {
	if m.Currency == "" {
		return "—"
	}
	amount := m.Amount()
	if p.Lang != "en" {
		amount = strings.Replace(amount, ".", ",", 1)
	}
	return amount + "\u00a0" + m.Currency
}

// DisputeStatus names a dispute status.
func (p page) DisputeStatus(st any) string { return p.T(fmt.Sprint("dispute.status.", st)) }

// Share writes a tally's compliance as a whole percentage, or a dash when
// nothing was due yet.
func (p page) Share(t promise.Tally) string {
	share, ok := t.Compliance()
	if !ok {
		return "—"
	}
	if p.Lang == "en" {
		return fmt.Sprintf("%d%%", int(share*100+0.5))
	}
	return fmt.Sprintf("%d\u00a0%%", int(share*100+0.5))
}

// DisputePromise says how a promise of a dispute stands; a broken one says
// what followed from it (the seller's silence sends the dispute to the
// platform; a late decision is escalated to managers).
func (p page) DisputePromise(pr promise.Promise) string {
	if pr.State == promise.Broken {
		return p.Tf("dispute.promise_broken."+string(pr.Kind), "Due", p.Until(pr.DueAt), "At", p.Date(pr.BrokenAt))
	}
	return p.Promise(pr)
}
