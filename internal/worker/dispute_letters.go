package worker

import (
	"context"
	"errors"
	"fmt"

	"rma/internal/account"
	"rma/internal/dispute"
	"rma/internal/mail"
	"rma/internal/notify"
	"rma/internal/promise"
)

// decisionApologyDays is by when, after the breach, the buyer is told a
// team lead decides the dispute.
const decisionApologyDays = 2

// alertLateDecisions tells admins and reps (each in their language) and the
// buyer (in theirs, with an apology) about every escalated dispute a rep
// did not decide in time, then notices the breach. The letters go first,
// under keys that make each one once: a sweep that fails between the two
// writes sends nothing twice and notices next time.
func (r *Runner) alertLateDecisions(ctx context.Context) int {
	views, err := r.disputes.LateDecisions(ctx)
	if err != nil {
		r.log.Warn("sweep: late dispute decisions", "err", err)
		return 0
	}
	n := 0
	for _, v := range views {
		if err := r.tellLateDecision(ctx, v); err != nil {
			r.log.Warn("sweep: tell a late dispute decision", "dispute", v.Dispute.Number, "err", err)
			continue
		}
		noticed, err := r.disputes.NoticeLateDecision(ctx, v.Dispute.Number)
		if err != nil {
			r.log.Warn("sweep: notice a late dispute decision", "dispute", v.Dispute.Number, "err", err)
		}
		if noticed {
			n++
		}
	}
	return n
}

func (r *Runner) tellLateDecision(ctx context.Context, v dispute.View) error {
	d := v.Dispute
	i := promise.Find(v.Promises, promise.DisputeDecision)
	if i < 0 {
		return nil
	}
	loc := dispute.BuyerLocation(d.Country)
	due := v.Promises[i].DueAt
	by := r.claims.Now().AddDate(0, 0, decisionApologyDays)
	link := r.shipping.Signer().Page("/disputes/" + d.Number)
	reason := "dispute-decision-late:" + d.ID
	letter := func(lang string, staff bool, name string) notify.Letter {
		return notify.Letter{Key: "dispute_decision_late", Lang: lang, Staff: staff, Name: name,
			Args: map[string]any{"Dispute": d.Number, "Order": d.OrderNumber, "Promised": r.composer.Until(lang, &due, loc),
				"By": r.composer.Until(lang, &by, loc)},
			Link: link, LinkLabel: "mail.open_dispute",
			Details: [][2]string{{"mail.dispute", d.Number}, {"mail.order", d.OrderNumber}}}
	}
	for _, role := range []account.Role{account.Admin, account.Rep} {
		staff, err := r.store.Staff(ctx, role, "")
		if err != nil {
			return fmt.Errorf("load staff: %w", err)
		}
		for _, u := range staff {
			if err := r.send(ctx, reason, u.Email, u.Language, d.Number, letter(u.Language, true, "")); err != nil {
				return err
			}
		}
	}
	o, err := r.store.Order(ctx, d.OrderNumber)
	if err != nil {
		return fmt.Errorf("load order: %w", err)
	}
	l := letter(d.Language, false, o.BuyerName)
	l.Key = "apology_dispute_decision"
	return r.send(ctx, reason, o.BuyerEmail, d.Language, d.Number, l)
}

// send composes a letter and delivers it once per reason and address; an
// address the server refuses for good is logged, not retried.
func (r *Runner) send(ctx context.Context, reason, to, lang, number string, l notify.Letter) error {
	subject, text, html, err := r.composer.Compose(l)
	if err != nil {
		return err
	}
	err = r.mailer.Deliver(ctx, mail.Message{DedupeKey: mail.Key(reason, to), To: to, Subject: subject,
		Language: lang, RMANumber: number, Kind: l.Key, Text: text, HTML: html})
	if errors.Is(err, mail.ErrRejected) {
		r.log.Warn("dispute letter refused", "to", to, "err", err)
		return nil
	}
	return err
}
