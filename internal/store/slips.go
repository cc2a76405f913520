package store

import (
	"context"
	"errors"
	"time"

	"rma/internal/fault"
)

type slipRow struct {
	CacheKey  string `gorm:"primaryKey"`
	ClaimID   string
	PDF       []byte `gorm:"column:pdf"`
	CreatedAt time.Time
}

func (slipRow) TableName() string { return "slips" }

// Slip returns a rendered slip kept under key.
func (s *Store) Slip(ctx context.Context, key string) ([]byte, error) {
	var r slipRow
	err := s.db.WithContext(ctx).Select("pdf").Where("cache_key = ?", key).Take(&r).Error
	return r.PDF, translate(err)
}

// PutSlip keeps a rendered slip; a slip already kept under key (rendered
// by a concurrent request, identical by construction) is no error.
func (s *Store) PutSlip(ctx context.Context, key, claimID string, pdf []byte, now time.Time) error {
	err := translate(s.db.WithContext(ctx).Create(&slipRow{CacheKey: key, ClaimID: claimID, PDF: pdf, CreatedAt: now.UTC()}).Error)
	if errors.Is(err, fault.ErrDuplicate) {
		return nil
	}
	return err
}
