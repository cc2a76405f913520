package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rma/internal/account"
	"rma/internal/dispute"
	"rma/internal/evidence"
)

type disputeAttachmentRow struct {
	ID          string `gorm:"primaryKey"`
	DisputeID   string
	Name        string
	ContentType string
	Size        int64
	BlobKey     string
	ThumbKey    string
	ByUserID    string
	ByRole      string
	CreatedAt   time.Time `gorm:"autoCreateTime:false"`
}

func (disputeAttachmentRow) TableName() string { return "dispute_attachments" }

func (r disputeAttachmentRow) attachment() evidence.Attachment {
	return evidence.Attachment{ID: r.ID, DisputeID: r.DisputeID, Name: r.Name, ContentType: r.ContentType,
		Size: r.Size, Key: r.BlobKey, ThumbKey: r.ThumbKey, ByUserID: r.ByUserID, ByRole: account.Role(r.ByRole),
		CreatedAt: r.CreatedAt.UTC()}
}

// AddDisputeAttachment records a dispute's file and its event in one
// transaction.
func (s *Store) AddDisputeAttachment(ctx context.Context, a evidence.Attachment, ev dispute.Event) error {
	row := disputeAttachmentRow{ID: a.ID, DisputeID: a.DisputeID, Name: a.Name, ContentType: a.ContentType,
		Size: a.Size, BlobKey: a.Key, ThumbKey: a.ThumbKey, ByUserID: a.ByUserID, ByRole: string(a.ByRole),
		CreatedAt: a.CreatedAt.UTC()}
	evRow := disputeEventRow{ID: ev.ID, DisputeID: a.DisputeID, At: ev.At.UTC(), Action: string(ev.Action),
		FromStatus: string(ev.From), ToStatus: string(ev.To), ActorID: ev.ActorID, ActorRole: string(ev.ActorRole),
		Note: nullable(ev.Note)}
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return tx.Create(&evRow).Error
	}))
}

// DisputeAttachment returns one file of a dispute.
func (s *Store) DisputeAttachment(ctx context.Context, disputeID, id string) (evidence.Attachment, error) {
	var r disputeAttachmentRow
	err := s.db.WithContext(ctx).Where("dispute_id = ? AND id = ?", disputeID, id).Take(&r).Error
	return r.attachment(), translate(err)
}

// DisputeAttachments returns a dispute's files, oldest first.
func (s *Store) DisputeAttachments(ctx context.Context, disputeID string) ([]evidence.Attachment, error) {
	var rows []disputeAttachmentRow
	if err := s.db.WithContext(ctx).Where("dispute_id = ?", disputeID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]evidence.Attachment, len(rows))
	for i, r := range rows {
		out[i] = r.attachment()
	}
	return out, nil
}
