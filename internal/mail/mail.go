// Package mail records and sends the service's e-mails. Every message is
// kept in the database (admins read it there); when an SMTP server is
// configured it is also sent, and a message is sent once for one reason: its
// dedupe key makes delivery idempotent under retries, and a lease on its
// record lets one worker at a time send it. The record is written before
// the send and settled after, so only a crash between the server's
// acceptance and the settling can cause one more copy, once the lease ends.
package mail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
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

// Statuses are every status a kept message can have.
var Statuses = []Status{Pending, Held, Sent, Failed}

// Record is a kept message.
type Record struct {
	Message
	ID        string
	Status    Status
	Error     string
	CreatedAt time.Time
	SentAt    *time.Time
	// LeaseUntil is set while a worker sends the message.
	LeaseUntil *time.Time
	Attempts   int
}

// Key returns the dedupe key of a message sent for a reason (a job's id) to
// an address. The address is hashed so that the key stays short whatever
// the address's length (up to 254 characters).
func Key(reason, to string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(to))))
	return reason + ":" + hex.EncodeToString(sum[:16])
}

// ErrBusy: another worker is sending the message right now; try later.
var ErrBusy = errors.New("the message is being sent by another worker")

// ErrRejected marks a message the server refused for good (a 5xx answer,
// an address it cannot take): sending it again cannot succeed.
var ErrRejected = errors.New("message rejected")

// Lease is how long one worker may take to send a message before another
// may try: longer than any send's timeout.
const Lease = 5 * time.Minute

// Store keeps messages.
type Store interface {
	// PutMail keeps m under a new id, in status st, unless its dedupe key
	// is kept already, and returns the kept record either way.
	PutMail(ctx context.Context, id string, m Message, st Status, now time.Time) (Record, error)
	// TakeMail leases an unsent message to the caller; false when it is
	// sent, held or leased to another worker.
	TakeMail(ctx context.Context, id string, now time.Time, lease time.Duration) (Record, bool, error)
	SetMailStatus(ctx context.Context, id string, st Status, errText string, sentAt *time.Time) error
	ListMail(ctx context.Context, f Filter) ([]Record, error)
}

// Filter selects kept messages, newest first.
type Filter struct {
	To, RMANumber string
	// ToPart keeps the messages whose recipient contains it (any case).
	ToPart string
	Status Status
	// From and Until bound the time a message was written: From included,
	// Until excluded; zero is unbounded.
	From, Until time.Time
	Before      string // cursor: id of the last message of the previous page
	Limit       int
}

// JobEnd names the outbox job a letter is the last effect of. A store that
// keeps the letter held (no transport) may finish the job in the same
// transaction, one write instead of two; it sets Done when it did.
type JobEnd struct {
	ID   string
	Done bool
}

type jobEndKey struct{}

// EndingJob returns ctx carrying e: the letter delivered with it is e's
// job's last effect.
func EndingJob(ctx context.Context, e *JobEnd) context.Context {
	return context.WithValue(ctx, jobEndKey{}, e)
}

// EndOf returns the job a letter delivered with ctx ends, or nil.
func EndOf(ctx context.Context) *JobEnd {
	e, _ := ctx.Value(jobEndKey{}).(*JobEnd)
	return e
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
// its dedupe key is not sent again; one another worker is sending is
// ErrBusy; a failed send is returned so that the job retries.
func (ml *Mailer) Deliver(ctx context.Context, m Message) error {
	if m.DedupeKey == "" || m.To == "" {
		return errors.New("deliver mail: dedupe key and recipient are required")
	}
	// Without a transport the message is kept held in the one write; with
	// one it is kept pending, before the send.
	st := Pending
	if ml.transport == nil {
		st = Held
	}
	rec, err := ml.store.PutMail(ctx, ulid.Make().String(), m, st, ml.now())
	if err != nil {
		return fmt.Errorf("keep mail: %w", err)
	}
	if rec.Status == Sent || rec.Status == Held {
		return nil
	}
	if ml.transport == nil {
		return ml.store.SetMailStatus(ctx, rec.ID, Held, "", nil)
	}
	rec, taken, err := ml.store.TakeMail(ctx, rec.ID, ml.now(), Lease)
	switch {
	case err != nil:
		return fmt.Errorf("take mail: %w", err)
	case rec.Status == Sent || rec.Status == Held:
		return nil
	case !taken:
		return fmt.Errorf("deliver mail %s: %w", rec.ID, ErrBusy)
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
