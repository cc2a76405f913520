// Package desk is the warranty rep's workbench beside the claim lifecycle:
// internal notes on a claim that buyers never see, saved replies per
// language, the facts a queue row shows (the buyer's country, the files,
// whether the device came back within a year) and "next claim", which
// takes the oldest claim nobody has taken yet.
package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/fault"
	"rma/internal/i18n"
)

// Note is a staff member's internal note on a claim. Buyers never see it:
// not on their page, not in the API, not in an e-mail.
type Note struct {
	ID         string
	ClaimID    string
	AuthorID   string
	AuthorName string
	AuthorRole account.Role
	Body       string
	CreatedAt  time.Time
}

// Reply is a saved reply: a text a rep reuses in a question or a decision,
// in the buyer's language.
type Reply struct {
	ID        string
	Language  string
	Title     string
	Body      string
	CreatedBy string
	CreatedAt time.Time
}

// Facts are what a queue row shows beside the claim itself.
type Facts struct {
	// Country is the order's country (the buyer's).
	Country string
	// Attachments counts the claim's files.
	Attachments int
	// Repeat: the device had another claim within 12 months.
	Repeat bool
}

// Store is what the desk needs from storage.
type Store interface {
	AddNote(ctx context.Context, n Note) error
	Notes(ctx context.Context, claimID string) ([]Note, error)
	AddReply(ctx context.Context, r Reply) error
	Replies(ctx context.Context, lang string) ([]Reply, error)
	Reply(ctx context.Context, id string) (Reply, error)
	DeleteReply(ctx context.Context, id string) error
	QueueFacts(ctx context.Context, claims []claim.Claim) (map[string]Facts, error)
}

// Limits of the texts, in characters.
const (
	maxNote       = 4000
	maxReplyTitle = 120
	maxReply      = 4000
)

// Service runs the workbench.
type Service struct {
	store  Store
	claims *claim.Service
}

// NewService returns the workbench service.
func NewService(store Store, claims *claim.Service) *Service {
	return &Service{store: store, claims: claims}
}

// Errors of the workbench; each is a message key of the catalogue.
var (
	ErrForbidden  = fault.New(fault.Forbidden, "action_forbidden")
	ErrQueueEmpty = fault.New(fault.NotFound, "queue_empty")
	ErrNoReply    = fault.New(fault.NotFound, "reply_not_found")
)

// staff reports whether the role may read and write internal notes.
func staff(r account.Role) bool {
	return r == account.Rep || r == account.Admin || r == account.Technician
}

// Notes returns the internal notes of a claim the actor may see, oldest
// first. Buyers (and sellers) are refused before the claim is looked up.
func (s *Service) Notes(ctx context.Context, actor account.Actor, rma string) ([]Note, error) {
	if !staff(actor.Role) {
		return nil, ErrForbidden
	}
	v, err := s.claims.Get(ctx, actor, rma)
	if err != nil {
		return nil, err
	}
	notes, err := s.store.Notes(ctx, v.Claim.ID)
	if err != nil {
		return nil, fmt.Errorf("read notes: %w", err)
	}
	return notes, nil
}

// AddNote writes an internal note on a claim the actor may see.
func (s *Service) AddNote(ctx context.Context, actor account.Actor, rma, body string) (Note, error) {
	if !staff(actor.Role) {
		return Note{}, ErrForbidden
	}
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		return Note{}, fault.Field("body", "field_required")
	case utf8.RuneCountInString(body) > maxNote:
		return Note{}, fault.Field("body", "text_too_long")
	}
	v, err := s.claims.Get(ctx, actor, rma)
	if err != nil {
		return Note{}, err
	}
	n := Note{ID: ulid.Make().String(), ClaimID: v.Claim.ID, AuthorID: actor.UserID, AuthorRole: actor.Role,
		Body: body, CreatedAt: s.claims.Now()}
	if err := s.store.AddNote(ctx, n); err != nil {
		return Note{}, fmt.Errorf("add note: %w", err)
	}
	return n, nil
}

// mayManageReplies: reps and admins keep the saved replies.
func mayManageReplies(r account.Role) bool { return r == account.Rep || r == account.Admin }

// Replies returns the saved replies of a language ("" for every language),
// by title.
func (s *Service) Replies(ctx context.Context, actor account.Actor, lang string) ([]Reply, error) {
	if !mayManageReplies(actor.Role) {
		return nil, ErrForbidden
	}
	if lang != "" && !slices.Contains(i18n.Languages, lang) {
		return nil, fault.Field("language", "language_invalid")
	}
	out, err := s.store.Replies(ctx, lang)
	if err != nil {
		return nil, fmt.Errorf("read replies: %w", err)
	}
	return out, nil
}

// Reply returns one saved reply.
func (s *Service) Reply(ctx context.Context, actor account.Actor, id string) (Reply, error) {
	if !mayManageReplies(actor.Role) {
		return Reply{}, ErrForbidden
	}
	r, err := s.store.Reply(ctx, id)
	if errors.Is(err, fault.ErrNoRecord) {
		return Reply{}, ErrNoReply
	}
	if err != nil {
		return Reply{}, fmt.Errorf("read reply: %w", err)
	}
	return r, nil
}

// AddReply saves a reply for a language; every problem is named on its field.
func (s *Service) AddReply(ctx context.Context, actor account.Actor, lang, title, body string) (Reply, error) {
	if !mayManageReplies(actor.Role) {
		return Reply{}, ErrForbidden
	}
	var f fault.Fields
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if !slices.Contains(i18n.Languages, lang) {
		f.Add("language", "language_invalid")
	}
	switch {
	case title == "":
		f.Add("title", "field_required")
	case utf8.RuneCountInString(title) > maxReplyTitle:
		f.Add("title", "text_too_long")
	}
	switch {
	case body == "":
		f.Add("body", "field_required")
	case utf8.RuneCountInString(body) > maxReply:
		f.Add("body", "text_too_long")
	}
	if err := f.Err("invalid_input"); err != nil {
		return Reply{}, err
	}
	r := Reply{ID: ulid.Make().String(), Language: lang, Title: title, Body: body, CreatedBy: actor.UserID,
		CreatedAt: s.claims.Now()}
	if err := s.store.AddReply(ctx, r); err != nil {
		return Reply{}, fmt.Errorf("add reply: %w", err)
	}
	return r, nil
}

// DeleteReply removes a saved reply.
func (s *Service) DeleteReply(ctx context.Context, actor account.Actor, id string) error {
	if _, err := s.Reply(ctx, actor, id); err != nil {
		return err
	}
	if err := s.store.DeleteReply(ctx, id); err != nil {
		return fmt.Errorf("delete reply: %w", err)
	}
	return nil
}

// QueueFacts returns the facts of the queue's rows, by claim id.
func (s *Service) QueueFacts(ctx context.Context, claims []claim.Claim) (map[string]Facts, error) {
	if len(claims) == 0 {
		return map[string]Facts{}, nil
	}
	out, err := s.store.QueueFacts(ctx, claims)
	if err != nil {
		return nil, fmt.Errorf("queue facts: %w", err)
	}
	return out, nil
}

// Next takes the oldest claim nobody has taken yet (submitted, waiting on
// us) of the rep's center, or of every center for a rep who has none, and
// returns it taken. Two reps asking at once get two different claims: a
// claim taken by the other in between is skipped.
func (s *Service) Next(ctx context.Context, actor account.Actor) (claim.View, error) {
	if actor.Role != account.Rep {
		return claim.View{}, ErrForbidden
	}
	for round := 0; round < 5; round++ {
		list, err := s.claims.List(ctx, actor, claim.Filter{Status: []claim.Status{claim.Submitted},
			Center: actor.CenterCode, Order: "created", Limit: 20})
		if err != nil {
			return claim.View{}, err
		}
		if len(list) == 0 {
			return claim.View{}, ErrQueueEmpty
		}
		for _, c := range list {
			v, err := s.claims.Pick(ctx, actor, c.RMANumber)
			if errors.Is(err, claim.ErrWrongState) {
				continue // another rep took it first
			}
			return v, err
		}
	}
	return claim.View{}, ErrQueueEmpty
}
