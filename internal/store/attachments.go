package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/evidence"
)

type attachmentRow struct {
	ID          string `gorm:"primaryKey"`
	ClaimID     string
	Name        string
	ContentType string
	Size        int64
	BlobKey     string
	ThumbKey    string
	ByUserID    string
	ByRole      string
	CreatedAt   time.Time `gorm:"autoCreateTime:false"`
}

func (attachmentRow) TableName() string { return "attachments" }

func (r attachmentRow) attachment() evidence.Attachment {
	return evidence.Attachment{ID: r.ID, ClaimID: r.ClaimID, Name: r.Name, ContentType: r.ContentType, Size: r.Size,
		Key: r.BlobKey, ThumbKey: r.ThumbKey, ByUserID: r.ByUserID, ByRole: account.Role(r.ByRole), CreatedAt: r.CreatedAt.UTC()}
}

// AddAttachment records a kept file and its event in one transaction.
func (s *Store) AddAttachment(ctx context.Context, a evidence.Attachment, ev claim.Event) error {
	row := attachmentRow{ID: a.ID, ClaimID: a.ClaimID, Name: a.Name, ContentType: a.ContentType, Size: a.Size,
		BlobKey: a.Key, ThumbKey: a.ThumbKey, ByUserID: a.ByUserID, ByRole: string(a.ByRole), CreatedAt: a.CreatedAt.UTC()}
	evRow := toEventRow(ev)
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return tx.Create(&evRow).Error
	}))
}

// Attachment returns one file of a claim.
func (s *Store) Attachment(ctx context.Context, claimID, id string) (evidence.Attachment, error) {
	var r attachmentRow
	err := s.db.WithContext(ctx).Where("claim_id = ? AND id = ?", claimID, id).Take(&r).Error
	return r.attachment(), translate(err)
}

// Attachments returns a claim's files, oldest first.
func (s *Store) Attachments(ctx context.Context, claimID string) ([]evidence.Attachment, error) {
	var rows []attachmentRow
	if err := s.db.WithContext(ctx).Where("claim_id = ?", claimID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]evidence.Attachment, len(rows))
	for i, r := range rows {
		out[i] = r.attachment()
	}
	return out, nil
}
