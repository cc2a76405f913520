// Package notify writes the service's e-mails: the buyer's notice of each
// step of a claim and the staff's reminders and escalations, in the
// recipient's language, as plain text and HTML from templates/.
package notify

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	texttemplate "text/template"
	"time"

	"rma/internal/i18n"
	"rma/templates"
)

// Composer renders e-mails.
type Composer struct {
	cat  *i18n.Catalog
	html *htmltemplate.Template
	text *texttemplate.Template
}

// NewComposer parses the mail templates.
func NewComposer(cat *i18n.Catalog) (*Composer, error) {
	h, err := htmltemplate.ParseFS(templates.FS, "mail.html")
	if err != nil {
		return nil, fmt.Errorf("parse mail.html: %w", err)
	}
	t, err := texttemplate.ParseFS(templates.FS, "mail.txt")
	if err != nil {
		return nil, fmt.Errorf("parse mail.txt: %w", err)
	}
	return &Composer{cat: cat, html: h, text: t}, nil
}

// Letter is what one e-mail says, before rendering.
type Letter struct {
	Key   string // message family: mail.{Key}.subject and mail.{Key}.body
	Lang  string
	Name  string // the recipient's name; empty for staff
	Args  map[string]any
	Link  string
	Staff bool
	// Details are label keys and values shown under the body.
	Details [][2]string
	// LinkLabel is the message key of the link's label when it is not the
	// claim's (a dispute's letters link to the dispute).
	LinkLabel string
}

type content struct {
	Lang, Subject, Brand, Greeting, Body, LinkLabel, Link, Footer string
	Details                                                       [][2]string
}

// Compose renders a letter into a subject, a text body and an HTML body.
func (c *Composer) Compose(l Letter) (subject, text, html string, err error) {
	t := func(key string, args map[string]any) string { return c.cat.T(l.Lang, key, args) }
	data := content{Lang: l.Lang, Subject: t("mail."+l.Key+".subject", l.Args), Brand: t("app.name", nil),
		Body: t("mail."+l.Key+".body", l.Args), Link: l.Link, Footer: t("mail.footer", nil)}
	if l.Staff {
		data.Greeting, data.LinkLabel = t("mail.staff_greeting", nil), t("mail.open_claim", nil)
	} else {
		data.Greeting, data.LinkLabel = t("mail.greeting", map[string]any{"Name": l.Name}), t("mail.track", nil)
	}
	if l.LinkLabel != "" {
		data.LinkLabel = t(l.LinkLabel, nil)
	}
	for _, d := range l.Details {
		data.Details = append(data.Details, [2]string{t(d[0], nil), d[1]})
	}
	var tb, hb bytes.Buffer
	if err := c.text.ExecuteTemplate(&tb, "mail_text", data); err != nil {
		return "", "", "", fmt.Errorf("render mail text: %w", err)
	}
	if err := c.html.ExecuteTemplate(&hb, "mail_html", data); err != nil {
		return "", "", "", fmt.Errorf("render mail html: %w", err)
	}
	return data.Subject, tb.String(), hb.String(), nil
}

// Until writes a deadline as the day it falls on in loc, in lang, as it
// reads after "by" ("до четверга, 3 декабря 2026"); a missing one is a
// dash. Letters never show ISO dates.
func (c *Composer) Until(lang string, t *time.Time, loc *time.Location) string {
	if t == nil {
		return "–"
	}
	return c.cat.Until(lang, *t, loc)
}

// Day writes a deadline as a day on its own ("четверг, 3 декабря 2026").
func (c *Composer) Day(lang string, t *time.Time, loc *time.Location) string {
	if t == nil {
		return "–"
	}
	return c.cat.Date(lang, *t, loc)
}

// T translates a key (for values the letters fill in).
func (c *Composer) T(lang, key string) string { return c.cat.T(lang, key, nil) }
