package evidence

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/fault"
)

// Attachment is a kept file of a claim, or of a dispute (DisputeID set,
// ClaimID empty).
type Attachment struct {
	ID          string
	ClaimID     string
	DisputeID   string
	Name        string
	ContentType string
	Size        int64
	Key         string // the file's blob key
	ThumbKey    string // its thumbnail's, "" for documents
	ByUserID    string
	ByRole      account.Role
	CreatedAt   time.Time
}

// ActionAttach is the event written when a file is attached: the claim's
// status does not change, the timeline and the audit show who added what.
const ActionAttach claim.Action = "attach"

// Store is what the evidence service needs from the database.
type Store interface {
	// AddAttachment writes the attachment and its event in one transaction.
	AddAttachment(ctx context.Context, a Attachment, ev claim.Event) error
	// Attachment returns fault.ErrNoRecord for an id not of the claim.
	Attachment(ctx context.Context, claimID, id string) (Attachment, error)
	Attachments(ctx context.Context, claimID string) ([]Attachment, error)
}

// Service attaches files to claims and gives them back to whoever may see
// the claim.
type Service struct {
	claims *claim.Service
	store  Store
	blobs  Blobs
	log    *slog.Logger
}

// NewService returns an evidence service.
func NewService(claims *claim.Service, store Store, blobs Blobs, log *slog.Logger) *Service {
	return &Service{claims: claims, store: store, blobs: blobs, log: log}
}

// ErrNotFound is a file that does not exist or belongs to a claim the
// caller may not see.
var ErrNotFound = fault.New(fault.NotFound, "attachment_not_found")

var (
	errForbidden = fault.New(fault.Forbidden, "action_forbidden")
	errClosed    = fault.New(fault.Conflict, "claim_closed_attachments")
)

// mayAttach: the claim's buyer, reps and the center's technicians add
// files (Get has already checked that the actor sees the claim).
func mayAttach(role account.Role) bool {
	return role == account.Buyer || role == account.Rep || role == account.Technician
}

// ClaimPrefix is the blob key prefix of every file of a claim: erasing a
// claim's personal data lists and deletes everything under it.
func ClaimPrefix(claimID string) string { return "claims/" + claimID + "/" }

// Attach checks the file by its content and keeps it with the claim. The
// blobs are written first and removed again when the database refuses the
// row, so a failure leaves neither a row without bytes nor stray bytes.
func (s *Service) Attach(ctx context.Context, actor account.Actor, rma, name string, data []byte) (Attachment, error) {
	if !mayAttach(actor.Role) {
		return Attachment{}, errForbidden
	}
	v, err := s.claims.Get(ctx, actor, rma)
	if err != nil {
		return Attachment{}, err
	}
	c := v.Claim
	if c.Status.Terminal() {
		return Attachment{}, errClosed.With("Status", string(c.Status))
	}
	f, err := Check(name, data)
	if err != nil {
		return Attachment{}, err
	}
	now := s.claims.Now()
	a := Attachment{ID: ulid.Make().String(), ClaimID: c.ID, Name: f.Name, ContentType: f.ContentType,
		Size: int64(len(f.Data)), ByUserID: actor.UserID, ByRole: actor.Role, CreatedAt: now}
	a.Key = ClaimPrefix(c.ID) + a.ID
	if err := s.blobs.Put(ctx, a.Key, a.ContentType, f.Data); err != nil {
		return Attachment{}, fmt.Errorf("attach: %w", err)
	}
	if f.Thumb != nil {
		a.ThumbKey = a.Key + ".thumb.jpg"
		if err := s.blobs.Put(ctx, a.ThumbKey, "image/jpeg", f.Thumb); err != nil {
			s.discard(a)
			return Attachment{}, fmt.Errorf("attach thumbnail: %w", err)
		}
	}
	ev := claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: ActionAttach, From: c.Status,
		To: c.Status, ActorID: actor.UserID, ActorRole: actor.Role, Note: a.Name}
	if err := s.store.AddAttachment(ctx, a, ev); err != nil {
		s.discard(a)
		return Attachment{}, fmt.Errorf("attach: %w", err)
	}
	return a, nil
}

// discard removes the blobs of an attachment that was not recorded.
func (s *Service) discard(a Attachment) { discard(s.blobs, s.log, a) }

// discard removes the blobs of an attachment that was not recorded, of a
// claim or a dispute.
func discard(blobs Blobs, log *slog.Logger, a Attachment) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, key := range []string{a.Key, a.ThumbKey} {
		if key == "" {
			continue
		}
		if err := blobs.Delete(ctx, key); err != nil {
			log.Error("stray attachment blob", "key", key, "err", err)
		}
	}
}

// List returns the claim's files, oldest first.
func (s *Service) List(ctx context.Context, actor account.Actor, rma string) ([]Attachment, error) {
	v, err := s.claims.Get(ctx, actor, rma)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Attachments(ctx, v.Claim.ID)
	if err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	return list, nil
}

// Open returns a file of a claim the actor may see, or its thumbnail; any
// other is not found.
func (s *Service) Open(ctx context.Context, actor account.Actor, rma, id string, thumb bool) (Attachment, []byte, error) {
	v, err := s.claims.Get(ctx, actor, rma)
	if err != nil {
		return Attachment{}, nil, err
	}
	a, err := s.store.Attachment(ctx, v.Claim.ID, id)
	if errors.Is(err, fault.ErrNoRecord) {
		return Attachment{}, nil, ErrNotFound
	}
	if err != nil {
		return Attachment{}, nil, fmt.Errorf("open attachment: %w", err)
	}
	return readBlob(ctx, s.blobs, a, thumb)
}

// readBlob reads a recorded attachment's bytes, or its thumbnail's.
func readBlob(ctx context.Context, blobs Blobs, a Attachment, thumb bool) (Attachment, []byte, error) {
	key := a.Key
	if thumb {
		if a.ThumbKey == "" {
			return Attachment{}, nil, ErrNotFound
		}
		key, a.ContentType = a.ThumbKey, "image/jpeg"
	}
	data, err := blobs.Get(ctx, key)
	if err != nil {
		return Attachment{}, nil, fmt.Errorf("open attachment: %w", err)
	}
	return a, data, nil
}

// Files lists every blob kept for a claim, for erasing its personal data.
func (s *Service) Files(ctx context.Context, claimID string) ([]string, error) {
	return s.blobs.List(ctx, ClaimPrefix(claimID))
}
