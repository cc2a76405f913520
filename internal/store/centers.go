package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"

	"rma/internal/center"
	"rma/internal/fault"
)

type centerRow struct {
	Code      string `gorm:"primaryKey"`
	Name      string
	Country   string
	TimeZone  string
	Address   string // JSON list of lines
	UpdatedAt time.Time
}

func (centerRow) TableName() string { return "centers" }

type centerCountryRow struct {
	Country    string `gorm:"primaryKey"`
	CenterCode string
}

func (centerCountryRow) TableName() string { return "center_countries" }

func lines(s string) []string {
	var out []string
	_ = json.Unmarshal([]byte(s), &out) // written by us as a JSON list
	return out
}

func joinLines(l []string) string {
	b, _ := json.Marshal(l)
	return string(b)
}

func (r centerRow) center(serves []string) center.Center {
	return center.Center{Code: r.Code, Name: r.Name, Country: r.Country, TimeZone: r.TimeZone,
		Address: lines(r.Address), Serves: serves}
}

// ErrCountryTaken is returned by PutCenter when a served country already
// belongs to another center.
var ErrCountryTaken = &fault.Error{Kind: fault.Conflict, Reason: "country_served_by_other_center",
	Fields: map[string]string{"serves": "country_served_by_other_center"}}

// PutCenter creates or replaces a center and the countries it serves, in
// one transaction. A country served by another center is a conflict: each
// buyer country is routed to exactly one center.
func (s *Store) PutCenter(ctx context.Context, c center.Center, now time.Time) (created bool, err error) {
	err = s.transact(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&centerRow{}).Where("code = ?", c.Code).Count(&n).Error; err != nil {
			return err
		}
		created = n == 0
		row := centerRow{Code: c.Code, Name: c.Name, Country: c.Country, TimeZone: c.TimeZone,
			Address: joinLines(c.Address), UpdatedAt: now.UTC()}
		if err := upsert(tx, created, &row); err != nil {
			return err
		}
		if len(c.Serves) > 0 {
			var taken int64
			if err := tx.Model(&centerCountryRow{}).Where("country IN ? AND center_code <> ?", c.Serves, c.Code).
				Count(&taken).Error; err != nil {
				return err
			}
			if taken > 0 {
				return ErrCountryTaken
			}
		}
		if err := tx.Where("center_code = ?", c.Code).Delete(&centerCountryRow{}).Error; err != nil {
			return err
		}
		for _, country := range c.Serves {
			if err := tx.Create(&centerCountryRow{Country: country, CenterCode: c.Code}).Error; err != nil {
				if errors.Is(translate(err), fault.ErrDuplicate) {
					return ErrCountryTaken // a concurrent put took it
				}
				return err
			}
		}
		return nil
	})
	if errors.Is(err, ErrCountryTaken) {
		return false, ErrCountryTaken
	}
	return created, translate(err)
}

// Center returns a center by code.
func (s *Store) Center(ctx context.Context, code string) (center.Center, error) {
	var r centerRow
	if err := s.db.WithContext(ctx).Where("code = ?", code).Take(&r).Error; err != nil {
		return center.Center{}, translate(err)
	}
	var serves []string
	err := s.db.WithContext(ctx).Model(&centerCountryRow{}).Where("center_code = ?", code).
		Order("country").Pluck("country", &serves).Error
	return r.center(serves), translate(err)
}

// CenterForCountry returns the center serving buyers in country.
func (s *Store) CenterForCountry(ctx context.Context, country string) (center.Center, error) {
	var cc centerCountryRow
	if err := s.db.WithContext(ctx).Where("country = ?", country).Take(&cc).Error; err != nil {
		return center.Center{}, translate(err)
	}
	return s.Center(ctx, cc.CenterCode)
}

// Centers lists every center with the countries it serves.
func (s *Store) Centers(ctx context.Context) ([]center.Center, error) {
	var rows []centerRow
	if err := s.db.WithContext(ctx).Order("code").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	var ccs []centerCountryRow
	if err := s.db.WithContext(ctx).Order("country").Find(&ccs).Error; err != nil {
		return nil, translate(err)
	}
	serves := map[string][]string{}
	for _, cc := range ccs {
		serves[cc.CenterCode] = append(serves[cc.CenterCode], cc.Country)
	}
	out := make([]center.Center, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.center(serves[r.Code]))
	}
	return out, nil
}
