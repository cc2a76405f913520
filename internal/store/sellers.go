package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rma/internal/seller"
)

type sellerRow struct {
	Code          string `gorm:"primaryKey"`
	Name          string
	Email         string
	Language      string
	ReturnAddress string // JSON list of lines
	UpdatedAt     time.Time
}

func (sellerRow) TableName() string { return "sellers" }

func (r sellerRow) seller() seller.Seller {
	return seller.Seller{Code: r.Code, Name: r.Name, Email: r.Email, Language: r.Language,
		ReturnAddress: lines(r.ReturnAddress)}
}

// PutSeller creates or replaces a seller.
func (s *Store) PutSeller(ctx context.Context, sl seller.Seller, now time.Time) (created bool, err error) {
	row := sellerRow{Code: sl.Code, Name: sl.Name, Email: sl.Email, Language: sl.Language,
		ReturnAddress: joinLines(sl.ReturnAddress), UpdatedAt: now.UTC()}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&sellerRow{}).Where("code = ?", sl.Code).Count(&n).Error; err != nil {
			return err
		}
		created = n == 0
		return upsert(tx, created, &row)
	})
	return created, translate(err)
}

// Seller returns a seller by code.
func (s *Store) Seller(ctx context.Context, code string) (seller.Seller, error) {
	var r sellerRow
	err := s.db.WithContext(ctx).Where("code = ?", code).Take(&r).Error
	return r.seller(), translate(err)
}

// SellerExists reports whether a seller has the code.
func (s *Store) SellerExists(ctx context.Context, code string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&sellerRow{}).Where("code = ?", code).Count(&n).Error
	return n > 0, translate(err)
}
