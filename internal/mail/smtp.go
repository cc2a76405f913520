package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP sends messages through an SMTP server with github.com/wneessen/go-mail.
type SMTP struct {
	host, from string
	opts       []gomail.Option
}

// ParseSMTPURL reads RMA_SMTP_URL:
// smtp://user:password@host:587?from=rma@example.com&tls=starttls&timeout=20s
// (tls: starttls, the default; tls for implicit TLS; none for a local relay;
// timeout bounds each exchange, 20s by default).
func ParseSMTPURL(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, fmt.Errorf("must look like smtp://user:pass@host:587?from=rma@example.com")
	}
	from := u.Query().Get("from")
	if from == "" {
		return nil, fmt.Errorf("needs ?from=address")
	}
	timeout := 20 * time.Second
	if t := u.Query().Get("timeout"); t != "" {
		if timeout, err = time.ParseDuration(t); err != nil || timeout <= 0 {
			return nil, fmt.Errorf("bad timeout %q", t)
		}
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout)}
	port := 587
	switch u.Query().Get("tls") {
	case "", "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "tls":
		opts = append(opts, gomail.WithSSL())
		port = 465
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		port = 25
	default:
		return nil, fmt.Errorf("tls must be starttls, tls or none")
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("bad port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(u.User.Username()),
			gomail.WithPassword(pass))
	}
	return &SMTP{host: u.Hostname(), from: from, opts: opts}, nil
}

// Send delivers one message as multipart text and HTML, with its
// attachment.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("to %q: %w: %w", m.To, ErrRejected, err)
	}
	msg.Subject(m.Subject)
	msg.SetGenHeader(gomail.HeaderContentLang, m.Language)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	if len(m.Attachment) > 0 {
		if err := msg.AttachReader(m.AttachmentName, bytes.NewReader(m.Attachment)); err != nil {
			return fmt.Errorf("attach: %w", err)
		}
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("smtp dial: %w", err)
	}
	sendErr := c.SendWithSMTPClient(conn, msg)
	// Once the server accepted the message it is delivered, whatever
	// happens to the RSET and QUIT that follow: a slow goodbye must not
	// make the message go out again.
	closeErr := c.CloseWithSMTPClient(conn)
	if msg.IsDelivered() || sendErr == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(sendErr, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return fmt.Errorf("smtp send: %w: %w", ErrRejected, sendErr)
	}
	return fmt.Errorf("smtp send: %w", errors.Join(sendErr, closeErr))
}
