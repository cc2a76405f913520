package worker

import (
	"context"
	"errors"
	"fmt"

	"rma/internal/account"
	"rma/internal/carrier"
	"rma/internal/claim"
	"rma/internal/mail"
	"rma/internal/notify"
	"rma/internal/promise"
)

// args are the values a letter's texts may use.
func (r *Runner) args(v claim.View, lang string) map[string]any {
	c, loc := v.Claim, v.Center.Location()
	t := func(key string) string { return r.composer.T(lang, key) }
	// Due, ShipBy and ReturnDue read after "by"; the …Day forms stand alone.
	cp := r.composer
	a := map[string]any{"RMA": c.RMANumber, "Product": c.ProductName, "Center": v.Center.Name,
		"Due": cp.Until(lang, c.ReviewDueAt, loc), "DueDay": cp.Day(lang, c.ReviewDueAt, loc),
		"ShipBy": cp.Until(lang, c.ShipBy, loc), "ReturnDue": cp.Until(lang, c.ReturnDueAt, loc),
		"ReturnDueDay": cp.Day(lang, c.ReturnDueAt, loc), "Question": c.Question,
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

// details are the lines under a letter's body: the claim, its product and
// the status the letter is about (its own step's, not a later one).
func (r *Runner) details(v claim.View, st claim.Status, lang string) [][2]string {
	d := [][2]string{{"mail.rma", v.Claim.RMANumber}}
	if v.Claim.ProductName != "" {
		d = append(d, [2]string{"mail.product", v.Claim.ProductName})
	}
	d = append(d, [2]string{"mail.status", r.composer.T(lang, "status."+string(st))})
	return append(d, trackingDetails(v.Claim, st)...)
}

// trackingDetails are the carrier's tracking page of the shipment a letter
// about status st mentions: the buyer's parcel to the center while it
// travels and when it arrives, the device's way back once shipped (known
// carriers only).
func trackingDetails(c claim.Claim, st claim.Status) [][2]string {
	switch st {
	case claim.InTransit, claim.Received:
		if l := carrier.Link(c.InboundCarrier, c.InboundTracking); l != "" {
			return [][2]string{{"mail.tracking_inbound", l}}
		}
	case claim.Shipped, claim.Delivered:
		if l := carrier.Link(c.ReturnCarrier, c.ReturnTracking); l != "" {
			return [][2]string{{"mail.tracking_return", l}}
		}
	}
	return nil
}

// mailBuyer sends the buyer the letter key about the claim in status st;
// extra adds values for the letter's texts.
func (r *Runner) mailBuyer(ctx context.Context, j claim.Job, v claim.View, key string, st claim.Status, att *attachment,
	extra ...[2]string) error {
	c := v.Claim
	args := r.args(v, c.Language)
	for _, kv := range extra {
		args[kv[0]] = kv[1]
	}
	o, err := r.store.Order(ctx, c.OrderNumber)
	if err != nil {
		return fmt.Errorf("load order: %w", err)
	}
	subject, text, html, err := r.composer.Compose(notify.Letter{Key: key, Lang: c.Language, Name: o.BuyerName,
		Args: args, Link: r.shipping.Signer().ClaimURL(c.RMANumber), Details: r.details(v, st, c.Language)})
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
				Args: r.args(v, u.Language), Link: r.shipping.Signer().ClaimURL(v.Claim.RMANumber), Details: r.details(v, v.Claim.Status, u.Language)})
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

// Days, after a breach is noticed, by which the buyer is told the
// escalated claim moves on: a team lead answers, or the center ships back.
var apologyDays = map[promise.Kind]int{promise.Answer: 2, promise.Return: 3}

// apologize tells the buyer that the claim's promise of kind was broken:
// what was promised, that we are sorry, what happens now and by when.
func (r *Runner) apologize(ctx context.Context, j claim.Job, v claim.View, kind promise.Kind) error {
	p, ok := v.Claim.Promise(kind)
	if !ok || p.State != promise.Broken {
		return nil
	}
	loc := v.Center.Location()
	by := r.claims.Now().AddDate(0, 0, apologyDays[kind])
	lang := v.Claim.Language
	return r.mailBuyer(ctx, j, v, "apology_"+string(kind), v.Claim.Status, nil,
		[2]string{"Promised", r.composer.Until(lang, &p.DueAt, loc)}, [2]string{"By", r.composer.Until(lang, &by, loc)})
}
