package webhook

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/fault"
)

// Event types an endpoint may subscribe to ("*" takes every one).
const (
	ClaimUpdated   = "claim.updated"
	DisputeUpdated = "dispute.updated"
	RefundCreated  = "refund.created"
)

// Types lists every event type.
var Types = []string{ClaimUpdated, DisputeUpdated, RefundCreated}

// Endpoint is a receiver registered by an admin.
type Endpoint struct {
	Name   string
	URL    string
	Secret string
	Events []string
}

// Wants reports whether the endpoint subscribed to the type.
func (e Endpoint) Wants(typ string) bool {
	return slices.Contains(e.Events, typ) || slices.Contains(e.Events, "*")
}

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Validate normalizes e and reports every invalid field.
func Validate(e Endpoint) (Endpoint, error) {
	var f fault.Fields
	e.Name = strings.ToLower(strings.TrimSpace(e.Name))
	if !namePattern.MatchString(e.Name) {
		f.Add("name", "webhook_name_invalid")
	}
	e.URL = strings.TrimSpace(e.URL)
	if u, err := url.Parse(e.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		f.Add("url", "webhook_url_invalid")
	}
	if len(e.Secret) < 16 || len(e.Secret) > 200 {
		f.Add("secret", "webhook_secret_invalid")
	}
	var evs []string
	for _, t := range e.Events {
		t = strings.TrimSpace(t)
		if t != "*" && !slices.Contains(Types, t) {
			f.Add("events", "webhook_events_invalid")
			continue
		}
		if !slices.Contains(evs, t) {
			evs = append(evs, t)
		}
	}
	if len(evs) == 0 {
		f.Add("events", "webhook_events_invalid")
	}
	e.Events = evs
	return e, f.Err("invalid_input")
}

// Event is something the marketplace is told: its id stays the same across
// every retry and replay, so the receiver can drop duplicates.
type Event struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"created_at"`
	Data      any       `json:"data"`
}

// NewEvent returns an event with a fresh id.
func NewEvent(typ string, at time.Time, data any) Event {
	return Event{ID: ulid.Make().String(), Type: typ, CreatedAt: at.UTC(), Data: data}
}

// Body is the JSON sent for the event.
func (e Event) Body() []byte {
	b, err := json.Marshal(e)
	if err != nil {
		panic(err) // data is plain structs and maps built by us
	}
	return b
}

// Delivery states.
const (
	Pending   = "pending"
	Delivered = "delivered"
	Dead      = "dead"
)

// Delivery is one event on its way to one endpoint.
type Delivery struct {
	ID            string
	Endpoint      string
	EventID       string
	Type          string
	Body          []byte
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastStatus    int
	LastError     string
	CreatedAt     time.Time
	DeliveredAt   *time.Time
}

// GiveUpAfter is how long a failing delivery is retried.
const GiveUpAfter = 24 * time.Hour

// Backoff is the wait after the n-th failed attempt: 30 s doubling, at most
// an hour.
func Backoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}
