package app

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/i18n"
	"rma/internal/mail"
)

// accountLetters writes account e-mails (sign-up, reset) in the
// recipient's language and hands them to the mailer.
type accountLetters struct {
	cat    *i18n.Catalog
	mailer *mail.Mailer
}

// AccountLetter implements account.Mailer. Each letter is its own message
// (a new dedupe key): asking twice sends twice, within the rate limits.
func (a accountLetters) AccountLetter(ctx context.Context, l account.Letter) error {
	args := map[string]any{"Name": l.Name, "Link": l.Link}
	subject := a.cat.T(l.Language, "mail.account."+l.Kind+".subject", args)
	body := a.cat.T(l.Language, "mail.account."+l.Kind+".body", args)
	var h strings.Builder
	h.WriteString("<!doctype html><html><body>")
	for _, para := range strings.Split(body, "\n\n") {
		h.WriteString("<p>" + html.EscapeString(para) + "</p>")
	}
	if l.Link != "" {
		fmt.Fprintf(&h, `<p><a href="%s">%s</a></p>`, html.EscapeString(l.Link), html.EscapeString(l.Link))
	}
	h.WriteString("</body></html>")
	text := body
	if l.Link != "" {
		text += "\n\n" + l.Link
	}
	return a.mailer.Deliver(ctx, mail.Message{DedupeKey: "account:" + ulid.Make().String(), To: l.To,
		Subject: subject, Language: l.Language, Kind: "account_" + strings.SplitN(l.Kind, "_", 2)[0],
		Text: text + "\n", HTML: h.String()})
}
