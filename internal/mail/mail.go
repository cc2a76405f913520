// Package mail records and sends the service's e-mails. Every message is
// kept in the database (admins read it there); when an SMTP server is
// configured it is also sent, and a message is never sent twice for the
// same reason: its dedupe key makes delivery idempotent under retries.
package mail

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"
)

// Message is one e-mail.
type Message struct {
	// DedupeKey names why the message exists (a job and a recipient): the
	// same key is delivered once.
	DedupeKey      string
	To             string
	Subject        string
	Language       string
	RMANumber      string
	Kind           string
	Text, HTML     string
	AttachmentName string
	Attachment     []byte
}

// Status of a kept message.
type Status string

// Message statuses.
const (
	Pending Status = "pending" // being sent
	Held    Status = "held"    // kept only: no SMTP server is configured
	Sent    Status = "sent"
	Failed  Status = "failed" // the last attempt failed; the job retries
)

// Record is a kept message.
type Record struct {
	Message
	ID        string
	Status    Status
	Error     string
	CreatedAt time.Time
	SentAt    *time.Time
}

// Store keeps messages.
type Store interface {
	// PutMail keeps m under a new id unless its dedupe key is kept already,
	// and returns the kept record either way.
	PutMail(ctx context.Context, id string, m Message, now time.Time) (Record, error)
	SetMailStatus(ctx context.Context, id string, st Status, errText string, sentAt *time.Time) error
	ListMail(ctx context.Context, f Filter) ([]Record, error)
}

// Filter selects kept messages, newest first.
type Filter struct {
	To, RMANumber string
	Before        string // cursor: id of the last message of the previous page
	Limit         int
}

// Transport sends a message to its recipient.
type Transport interface {
	Send(ctx context.Context, m Message) error
}

// Mailer keeps and (with a transport) sends messages.
type Mailer struct {
	store     Store
	transport Transport // nil: keep only
	now       func() time.Time
}

// NewMailer returns a mailer; a nil transport keeps messages without sending.
func NewMailer(store Store, transport Transport, now func() time.Time) *Mailer {
	return &Mailer{store: store, transport: transport, now: now}
}

// Deliver keeps m and sends it once. A message already sent (or held) under
// its dedupe key is not sent again; a failed send is returned so that the
// job retries.
func (ml *Mailer) Deliver(ctx context.Context, m Message) error {
	if m.DedupeKey == "" || m.To == "" {
		return errors.New("deliver mail: dedupe key and recipient are required")
	}
	rec, err := ml.store.PutMail(ctx, ulid.Make().String(), m, ml.now())
	if err != nil {
		return fmt.Errorf("keep mail: %w", err)
	}
	if rec.Status == Sent || rec.Status == Held {
		return nil
	}
	if ml.transport == nil {
		return ml.store.SetMailStatus(ctx, rec.ID, Held, "", nil)
	}
	if err := ml.transport.Send(ctx, m); err != nil {
		_ = ml.store.SetMailStatus(context.WithoutCancel(ctx), rec.ID, Failed, truncate(err.Error(), 480), nil)
		return fmt.Errorf("send mail: %w", err)
	}
	now := ml.now()
	return ml.store.SetMailStatus(context.WithoutCancel(ctx), rec.ID, Sent, "", &now)
}

// List returns kept messages.
func (ml *Mailer) List(ctx context.Context, f Filter) ([]Record, error) {
	f.Limit = max(1, min(f.Limit, 200))
	return ml.store.ListMail(ctx, f)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
