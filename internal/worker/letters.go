package worker

import (
	"context"
	"errors"
	"fmt"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/mail"
	"rma/internal/notify"
)

// args are the values a letter's texts may use.
func (r *Runner) args(v claim.View, lang string) map[string]any {
	c, loc := v.Claim, v.Center.Location()
	t := func(key string) string { return r.composer.T(lang, key) }
	a := map[string]any{"RMA": c.RMANumber, "Center": v.Center.Name, "Due": notify.Date(c.ReviewDueAt, loc),
		"ShipBy": notify.Date(c.ShipBy, loc), "ReturnDue": notify.Date(c.ReturnDueAt, loc), "Question": c.Question,
		"Findings": c.Findings, "Carrier": c.ReturnCarrier, "Tracking": c.ReturnTracking, "Reason": "", "Note": ""}
	if c.RejectReason != "" {
		a["Reason"] = t("reject." + c.RejectReason)
	}
	if c.UnrepairedCode != "" {
		a["Reason"] = t("unrepaired." + c.UnrepairedCode)
	}
	for _, e := range v.Events {
		if e.Action == claim.Reject {
			a["Note"] = e.Note
		}
	}
	return a
}

func (r *Runner) details(v claim.View, lang string) [][2]string {
	return [][2]string{{"mail.rma", v.Claim.RMANumber}, {"mail.status", r.composer.T(lang, "status."+string(v.Claim.Status))}}
}

// mailBuyer sends the buyer the letter key about the claim.
func (r *Runner) mailBuyer(ctx context.Context, j claim.Job, v claim.View, key string, att *attachment) error {
	c := v.Claim
	o, err := r.store.Order(ctx, c.OrderNumber)
	if err != nil {
		return fmt.Errorf("load order: %w", err)
	}
	subject, text, html, err := r.composer.Compose(notify.Letter{Key: key, Lang: c.Language, Name: o.BuyerName,
		Args: r.args(v, c.Language), Link: r.shipping.Signer().URL(c.RMANumber), Details: r.details(v, c.Language)})
	if err != nil {
		return err
	}
	m := mail.Message{DedupeKey: mail.Key(j.ID, c.BuyerEmail), To: c.BuyerEmail, Subject: subject, Language: c.Language,
		RMANumber: c.RMANumber, Kind: key, Text: text, HTML: html}
	if att != nil {
		m.AttachmentName, m.Attachment = att.name, att.data
	}
	return r.mailer.Deliver(ctx, m)
}

// notifyStaff sends the letter key to every active user of the roles (of
// one center when centerCode is given), each in their own language.
func (r *Runner) notifyStaff(ctx context.Context, j claim.Job, v claim.View, key string, roles []account.Role, centerCode string) error {
	for _, role := range roles {
		staff, err := r.store.Staff(ctx, role, centerCode)
		if err != nil {
			return fmt.Errorf("load staff: %w", err)
		}
		for _, u := range staff {
			subject, text, html, err := r.composer.Compose(notify.Letter{Key: key, Lang: u.Language, Staff: true,
				Args: r.args(v, u.Language), Link: r.shipping.Signer().URL(v.Claim.RMANumber), Details: r.details(v, u.Language)})
			if err != nil {
				return err
			}
			err = r.mailer.Deliver(ctx, mail.Message{DedupeKey: mail.Key(j.ID, u.Email), To: u.Email, Subject: subject,
				Language: u.Language, RMANumber: v.Claim.RMANumber, Kind: key, Text: text, HTML: html})
			if errors.Is(err, mail.ErrRejected) {
				// One address the server refuses must not keep the letter
				// from the others; the refusal stays on its record.
				r.log.Warn("staff letter refused", "job", j.ID, "to", u.Email, "err", err)
				continue
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
