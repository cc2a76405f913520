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
	TooLarge        Kind = "too_large"
	Unavailable     Kind = "unavailable" // a dependency (the database) does not answer; try again
	BadRequest      Kind = "bad_request"
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

// Is makes errors.Is recognise a fault by identity rather than by pointer:
// err is target when both have the same kind and, unless target leaves it
// empty, the same reason. So errors.Is(err, claim.ErrWrongState) holds for
// the copy that carries the claim's status, and errors.Is(err, ErrConflict)
// for every conflict.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t == nil {
		return false
	}
	return e.Kind == t.Kind && (t.Reason == "" || e.Reason == t.Reason)
}

// Kind sentinels: errors.Is(err, fault.ErrConflict) holds for every fault of
// that kind, whatever its reason.
var (
	ErrNotFound        = &Error{Kind: NotFound}
	ErrInvalid         = &Error{Kind: Invalid}
	ErrConflict        = &Error{Kind: Conflict}
	ErrForbidden       = &Error{Kind: Forbidden}
	ErrUnauthenticated = &Error{Kind: Unauthenticated}
	ErrRateLimited     = &Error{Kind: RateLimited}
	ErrBadRequest      = &Error{Kind: BadRequest}
)

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
	return errors.Is(err, &Error{Kind: kind})
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

// ErrUnavailable: the database is down, frozen or too slow to answer in
// time. Nothing was changed (a transaction that did not commit is rolled
// back); the request may be sent again.
var ErrUnavailable = New(Unavailable, "service_unavailable")
