package evidence

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/dispute"
	"rma/internal/fault"
)

// ActionAttachDispute is the dispute event written when a file is attached:
// the status does not change, the timeline shows who added what.
const ActionAttachDispute dispute.Action = "attach"

// DisputeStore is what dispute files need from the database.
type DisputeStore interface {
	// AddDisputeAttachment writes the attachment and its event in one
	// transaction.
	AddDisputeAttachment(ctx context.Context, a Attachment, ev dispute.Event) error
	// DisputeAttachment returns fault.ErrNoRecord for an id not of the
	// dispute.
	DisputeAttachment(ctx context.Context, disputeID, id string) (Attachment, error)
	DisputeAttachments(ctx context.Context, disputeID string) ([]Attachment, error)
}

// DisputeFiles attaches evidence to disputes under the claims' rules:
// checked by content, images re-encoded without metadata, the dispute's own
// access rules (its buyer, its seller, reps and admins; a foreign file is
// not found).
type DisputeFiles struct {
	disputes *dispute.Service
	store    DisputeStore
	blobs    Blobs
	log      *slog.Logger
}

// NewDisputeFiles returns the dispute evidence service.
func NewDisputeFiles(disputes *dispute.Service, store DisputeStore, blobs Blobs, log *slog.Logger) *DisputeFiles {
	return &DisputeFiles{disputes: disputes, store: store, blobs: blobs, log: log}
}

var errDisputeClosed = fault.New(fault.Conflict, "dispute_closed_attachments")

// DisputePrefix is the blob key prefix of every file of a dispute.
func DisputePrefix(disputeID string) string { return "disputes/" + disputeID + "/" }

// Attach checks the file by its content and keeps it with the dispute: the
// buyer, the seller and reps add files while the dispute is not closed.
func (s *DisputeFiles) Attach(ctx context.Context, actor account.Actor, number, name string, data []byte) (Attachment, error) {
	if actor.Role != account.Buyer && actor.Role != account.Seller && actor.Role != account.Rep {
		return Attachment{}, errForbidden
	}
	v, err := s.disputes.Get(ctx, actor, number)
	if err != nil {
		return Attachment{}, err
	}
	d := v.Dispute
	if d.Status.Terminal() {
		return Attachment{}, errDisputeClosed
	}
	f, err := Check(name, data)
	if err != nil {
		return Attachment{}, err
	}
	now := s.disputes.Now().UTC()
	a := Attachment{ID: ulid.Make().String(), DisputeID: d.ID, Name: f.Name, ContentType: f.ContentType,
		Size: int64(len(f.Data)), ByUserID: actor.UserID, ByRole: actor.Role, CreatedAt: now}
	a.Key = DisputePrefix(d.ID) + a.ID
	if err := s.blobs.Put(ctx, a.Key, a.ContentType, f.Data); err != nil {
		return Attachment{}, fmt.Errorf("attach: %w", err)
	}
	if f.Thumb != nil {
		a.ThumbKey = a.Key + ".thumb.jpg"
		if err := s.blobs.Put(ctx, a.ThumbKey, "image/jpeg", f.Thumb); err != nil {
			discard(s.blobs, s.log, a)
			return Attachment{}, fmt.Errorf("attach thumbnail: %w", err)
		}
	}
	ev := dispute.Event{ID: ulid.Make().String(), At: now, Action: ActionAttachDispute, From: d.Status, To: d.Status,
		ActorID: actor.UserID, ActorRole: actor.Role, Note: a.Name}
	if err := s.store.AddDisputeAttachment(ctx, a, ev); err != nil {
		discard(s.blobs, s.log, a)
		return Attachment{}, fmt.Errorf("attach: %w", err)
	}
	return a, nil
}

// List returns the dispute's files, oldest first.
func (s *DisputeFiles) List(ctx context.Context, actor account.Actor, number string) ([]Attachment, error) {
	v, err := s.disputes.Get(ctx, actor, number)
	if err != nil {
		return nil, err
	}
	list, err := s.store.DisputeAttachments(ctx, v.Dispute.ID)
	if err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	return list, nil
}

// Open returns a file of a dispute the actor may see, or its thumbnail; any
// other is not found.
func (s *DisputeFiles) Open(ctx context.Context, actor account.Actor, number, id string, thumb bool) (Attachment, []byte, error) {
	v, err := s.disputes.Get(ctx, actor, number)
	if err != nil {
		return Attachment{}, nil, err
	}
	a, err := s.store.DisputeAttachment(ctx, v.Dispute.ID, id)
	if errors.Is(err, fault.ErrNoRecord) {
		return Attachment{}, nil, ErrNotFound
	}
	if err != nil {
		return Attachment{}, nil, fmt.Errorf("open attachment: %w", err)
	}
	return readBlob(ctx, s.blobs, a, thumb)
}
