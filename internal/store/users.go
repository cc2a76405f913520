package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rma/internal/account"
)

type userRow struct {
	ID           string `gorm:"primaryKey"`
	Email        string
	Name         string
	PasswordHash string
	Role         string
	Language     string
	CenterCode   *string
	SellerCode   *string
	Status       string
	CreatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) user() account.User {
	u := account.User{ID: r.ID, Email: r.Email, Name: r.Name, PasswordHash: r.PasswordHash,
		Role: account.Role(r.Role), Language: r.Language, Status: account.Status(r.Status), CreatedAt: r.CreatedAt}
	if r.CenterCode != nil {
		u.CenterCode = *r.CenterCode
	}
	u.SellerCode = str(r.SellerCode)
	return u
}

type tokenRow struct {
	TokenHash string `gorm:"primaryKey"`
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

func (tokenRow) TableName() string { return "api_tokens" }

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// CreateUser inserts a user; a taken e-mail is fault.ErrDuplicate.
func (s *Store) CreateUser(ctx context.Context, u account.User) error {
	row := userRow{ID: u.ID, Email: u.Email, Name: u.Name, PasswordHash: u.PasswordHash, Role: string(u.Role),
		Language: u.Language, CenterCode: nullable(u.CenterCode),
		SellerCode: nullable(u.SellerCode), Status: string(u.Status), CreatedAt: u.CreatedAt.UTC()}
	return translate(s.db.WithContext(ctx).Create(&row).Error)
}

// UserByEmail finds a user by normalized e-mail.
func (s *Store) UserByEmail(ctx context.Context, email string) (account.User, error) {
	var r userRow
	err := s.db.WithContext(ctx).Where("email = ?", email).Take(&r).Error
	return r.user(), translate(err)
}

// UserStatus returns a user's standing.
func (s *Store) UserStatus(ctx context.Context, id string) (account.Status, error) {
	var r userRow
	err := s.db.WithContext(ctx).Select("status").Where("id = ?", id).Take(&r).Error
	return account.Status(r.Status), translate(err)
}

// SetUserStatus suspends or reinstates an account.
func (s *Store) SetUserStatus(ctx context.Context, id string, st account.Status) error {
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", id).Update("status", string(st))
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(gorm.ErrRecordNotFound)
	}
	return translate(res.Error)
}

// CreateToken stores a token hash for a user.
func (s *Store) CreateToken(ctx context.Context, userID, hash string, expiresAt, now time.Time) error {
	row := tokenRow{TokenHash: hash, UserID: userID, CreatedAt: now.UTC(), ExpiresAt: expiresAt.UTC()}
	return translate(s.db.WithContext(ctx).Create(&row).Error)
}

// UserByToken returns the user of a live (unexpired, unrevoked) token.
func (s *Store) UserByToken(ctx context.Context, hash string, now time.Time) (account.User, error) {
	var r userRow
	err := s.db.WithContext(ctx).Table("users").Select("users.*").
		Joins("JOIN api_tokens t ON t.user_id = users.id").
		Where("t.token_hash = ? AND t.expires_at > ? AND t.revoked_at IS NULL", hash, now.UTC()).
		Take(&r).Error
	return r.user(), translate(err)
}

// RevokeToken ends a token; revoking an unknown or revoked token is no error.
func (s *Store) RevokeToken(ctx context.Context, hash string, now time.Time) error {
	return translate(s.db.WithContext(ctx).Model(&tokenRow{}).
		Where("token_hash = ? AND revoked_at IS NULL", hash).Update("revoked_at", now.UTC()).Error)
}

// HasOrdersFor reports whether any order names email as its buyer.
func (s *Store) HasOrdersFor(ctx context.Context, email string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&orderRow{}).Where("buyer_email = ?", email).Limit(1).Count(&n).Error
	return n > 0, translate(err)
}

// CenterExists reports whether a center has the code.
func (s *Store) CenterExists(ctx context.Context, code string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&centerRow{}).Where("code = ?", code).Count(&n).Error
	return n > 0, translate(err)
}

// Users lists every account.
func (s *Store) Users(ctx context.Context) ([]account.User, error) {
	var rows []userRow
	if err := s.db.WithContext(ctx).Order("role, email").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]account.User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// SetStatusAndRevoke sets a user's standing and, with revoke, ends every
// live token of theirs in the same transaction.
func (s *Store) SetStatusAndRevoke(ctx context.Context, userID string, st account.Status, revoke bool, now time.Time) error {
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&userRow{}).Where("id = ?", userID).Update("status", string(st)).Error; err != nil {
			return err
		}
		if !revoke {
			return nil
		}
		return revokeAll(tx, userID, now)
	}))
}

// SetPasswordAndRevoke replaces a password hash and ends every live token
// of the user in the same transaction.
func (s *Store) SetPasswordAndRevoke(ctx context.Context, userID, hash string, now time.Time) error {
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&userRow{}).Where("id = ?", userID).Update("password_hash", hash).Error; err != nil {
			return err
		}
		return revokeAll(tx, userID, now)
	}))
}

func revokeAll(tx *gorm.DB, userID string, now time.Time) error {
	return tx.Model(&tokenRow{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Update("revoked_at", now.UTC()).Error
}
