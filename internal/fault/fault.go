// Package fault is the error vocabulary shared by the domain and the edges:
// every refusal a user can see carries a kind (which maps to one HTTP status),
// a message key (translated at the edge) and optional per-field message keys.
package fault

import (
	"errors"
	"fmt"
)

// Kind is one word of the error vocabulary of DESIGN.md §6.
type Kind string

// The kinds of error a caller can be told about.
const (
	NotFound        Kind = "not_found"
	Invalid         Kind = "invalid"
	Conflict        Kind = "conflict"
	Forbidden       Kind = "forbidden"
	Unauthenticated Kind = "unauthenticated"
	RateLimited     Kind = "rate_limited"
	BadRequest      Kind = "bad_request"
	TooLarge        Kind = "too_large"
	Internal        Kind = "internal"
)

// Error is a refusal with a reason a person can be told in their language.
// Reason is a message key of the i18n catalogue (for example "imei_invalid");
// Fields maps request field names to message keys.
type Error struct {
	Kind   Kind
	Reason string
	Fields map[string]string
	Args   map[string]any
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Kind, e.Reason, e.Fields)
	}
	return fmt.Sprintf("%s: %s", e.Kind, e.Reason)
}

// New returns an error of the given kind and reason.
func New(kind Kind, reason string) *Error { return &Error{Kind: kind, Reason: reason} }

// Field returns an Invalid error naming one field and its reason; the reason
// also stands as the overall message.
func Field(field, reason string) *Error {
	return &Error{Kind: Invalid, Reason: reason, Fields: map[string]string{field: reason}}
}

// With returns a copy of e carrying a template argument for its message.
func (e *Error) With(key string, value any) *Error {
	c := *e
	c.Args = map[string]any{}
	for k, v := range e.Args {
		c.Args[k] = v
	}
	c.Args[key] = value
	return &c
}

// Fields collects several field errors into one Invalid error.
type Fields struct{ m map[string]string }

// Add records reason for field unless the field already has a reason.
func (f *Fields) Add(field, reason string) {
	if f.m == nil {
		f.m = map[string]string{}
	}
	if _, ok := f.m[field]; !ok {
		f.m[field] = reason
	}
}

// Err returns nil when nothing was added, else an Invalid error with every
// field; its reason is summary.
func (f *Fields) Err(summary string) error {
	if len(f.m) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Reason: summary, Fields: f.m}
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var fe *Error
	if errors.As(err, &fe) {
		return fe, true
	}
	return nil, false
}

// Is reports whether err is a fault of the given kind.
func Is(err error, kind Kind) bool {
	fe, ok := As(err)
	return ok && fe.Kind == kind
}

// Sentinels the stores return; services turn them into messages that say
// which thing was missing or clashed.
var (
	// ErrNoRecord: the row asked for does not exist.
	ErrNoRecord = errors.New("no such record")
	// ErrDuplicate: a unique key is already taken.
	ErrDuplicate = errors.New("duplicate key")
	// ErrStale: the row changed since it was read (optimistic lock lost).
	ErrStale = errors.New("record changed concurrently")
)
