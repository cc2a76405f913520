package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rma/internal/account"
)

type accountTokenRow struct {
	TokenHash    string `gorm:"primaryKey"`
	Purpose      string
	Email        string
	Name         string
	Language     string
	PasswordHash *string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	UsedAt       *time.Time
}

func (accountTokenRow) TableName() string { return "account_tokens" }

func (r accountTokenRow) token() account.Link {
	return account.Link{Hash: r.TokenHash, Purpose: account.LinkPurpose(r.Purpose), Email: r.Email, Name: r.Name,
		Language: r.Language, PasswordHash: str(r.PasswordHash), ExpiresAt: r.ExpiresAt}
}

// PutLink stores an e-mailed link by its hash.
func (s *Store) PutLink(ctx context.Context, l account.Link, now time.Time) error {
	row := accountTokenRow{TokenHash: l.Hash, Purpose: string(l.Purpose), Email: l.Email, Name: l.Name,
		Language: l.Language, PasswordHash: nullable(l.PasswordHash), CreatedAt: now.UTC(), ExpiresAt: l.ExpiresAt.UTC()}
	return translate(s.db.WithContext(ctx).Create(&row).Error)
}

// LiveLink returns an unused, unexpired link of the purpose.
func (s *Store) LiveLink(ctx context.Context, hash string, purpose account.LinkPurpose, now time.Time) (account.Link, error) {
	var r accountTokenRow
	err := s.db.WithContext(ctx).Where("token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?",
		hash, string(purpose), now.UTC()).Take(&r).Error
	return r.token(), translate(err)
}

// UseLink marks a live link used; a link used or expired meanwhile is
// fault.ErrNoRecord, so that two clicks cannot both succeed.
func (s *Store) UseLink(ctx context.Context, hash string, now time.Time) error {
	res := s.db.WithContext(ctx).Model(&accountTokenRow{}).
		Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hash, now.UTC()).Update("used_at", now.UTC())
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(gorm.ErrRecordNotFound)
	}
	return translate(res.Error)
}
