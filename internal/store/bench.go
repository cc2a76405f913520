package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rma/internal/bench"
	"rma/internal/claim"
	"rma/internal/fault"
)

type intakeRow struct {
	ClaimID        string `gorm:"primaryKey"`
	Grade          string
	ConditionNote  *string
	Accessories    *string
	ActivationLock string
	ByUserID       string
	CheckedAt      time.Time
}

func (intakeRow) TableName() string { return "intake_checks" }

// PutIntakeCheck writes a device's intake check over any earlier one, with
// its events, in one transaction.
func (s *Store) PutIntakeCheck(ctx context.Context, chk bench.IntakeCheck, evs []claim.Event) error {
	acc, _ := json.Marshal(chk.Accessories)
	accs, note := string(acc), chk.ConditionNote
	row := intakeRow{ClaimID: chk.ClaimID, Grade: chk.Condition, ConditionNote: &note, Accessories: &accs,
		ActivationLock: chk.ActivationLock, ByUserID: chk.ByUserID, CheckedAt: chk.CheckedAt.UTC()}
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return err
		}
		for _, ev := range evs {
			r := toEventRow(ev)
			if err := tx.Create(&r).Error; err != nil {
				return err
			}
		}
		return nil
	}))
}

// IntakeCheck returns a claim's intake check.
func (s *Store) IntakeCheck(ctx context.Context, claimID string) (bench.IntakeCheck, error) {
	var r intakeRow
	if err := s.db.WithContext(ctx).Where("claim_id = ?", claimID).Take(&r).Error; err != nil {
		return bench.IntakeCheck{}, translate(err)
	}
	chk := bench.IntakeCheck{ClaimID: r.ClaimID, Condition: r.Grade, ConditionNote: str(r.ConditionNote),
		ActivationLock: r.ActivationLock, ByUserID: r.ByUserID, CheckedAt: r.CheckedAt.UTC()}
	_ = json.Unmarshal([]byte(str(r.Accessories)), &chk.Accessories)
	return chk, nil
}

type claimPartRow struct {
	ClaimID    string `gorm:"primaryKey"`
	PartNumber string `gorm:"primaryKey"`
	Name       string
	Quantity   int
	CenterCode string
	UsedAt     time.Time
}

func (claimPartRow) TableName() string { return "claim_parts" }

type stockRow struct {
	CenterCode string `gorm:"primaryKey"`
	PartNumber string `gorm:"primaryKey"`
	Name       string
	Quantity   int
	LowAt      int
	UpdatedAt  time.Time `gorm:"autoUpdateTime:false"`
}

func (stockRow) TableName() string { return "part_stock" }

func (r stockRow) stock() bench.Stock {
	return bench.Stock{Center: r.CenterCode, Part: bench.Part{Number: r.PartNumber, Name: r.Name, Quantity: r.Quantity},
		LowAt: r.LowAt, Low: r.Quantity <= r.LowAt, Stocked: true}
}

type diagnosisRow struct {
	ClaimID    string `gorm:"primaryKey"`
	Codes      string
	RecordedAt time.Time
}

func (diagnosisRow) TableName() string { return "claim_diagnoses" }

// UseParts records a claim's parts and codes and takes the parts from the
// center's stock. Each decrement is conditional on enough being left, so
// concurrent uses can never take a stock below zero: the one that finds too
// few fails and its transaction leaves nothing behind.
func (s *Store) UseParts(ctx context.Context, claimID, center string, parts []bench.Part, codes []string, at time.Time) ([]bench.Stock, error) {
	var low []bench.Stock
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		low = nil
		for _, p := range parts {
			res := tx.Model(&stockRow{}).Where("center_code = ? AND part_number = ? AND quantity >= ?", center, p.Number, p.Quantity).
				Updates(map[string]any{"quantity": gorm.Expr("quantity - ?", p.Quantity), "updated_at": at.UTC()})
			if res.Error != nil {
				return res.Error
			}
			var st stockRow
			err := tx.Where("center_code = ? AND part_number = ?", center, p.Number).Take(&st).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				st = stockRow{} // not stocked here: recorded, nothing taken
			} else if err != nil {
				return err
			} else if res.RowsAffected == 0 {
				return &bench.OutOfStock{Number: p.Number, Left: st.Quantity}
			} else if st.Quantity <= st.LowAt {
				low = append(low, st.stock())
			}
			name := p.Name
			if name == "" {
				name = st.Name
			}
			row := claimPartRow{ClaimID: claimID, PartNumber: p.Number, Name: name, Quantity: p.Quantity, CenterCode: center, UsedAt: at.UTC()}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		}
		if len(codes) > 0 {
			return tx.Create(&diagnosisRow{ClaimID: claimID, Codes: strings.Join(codes, ","), RecordedAt: at.UTC()}).Error
		}
		return nil
	})
	var oos *bench.OutOfStock
	if errors.As(err, &oos) {
		return nil, err
	}
	return low, translate(err)
}

// ReleaseParts gives back what UseParts took for a claim and forgets its
// parts and codes.
func (s *Store) ReleaseParts(ctx context.Context, claimID, center string, parts []bench.Part) error {
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, p := range parts {
			del := tx.Where("claim_id = ? AND part_number = ?", claimID, p.Number).Delete(&claimPartRow{})
			if del.Error != nil {
				return del.Error
			}
			if del.RowsAffected == 0 {
				continue
			}
			if err := tx.Model(&stockRow{}).Where("center_code = ? AND part_number = ?", center, p.Number).
				Update("quantity", gorm.Expr("quantity + ?", p.Quantity)).Error; err != nil {
				return err
			}
		}
		return tx.Where("claim_id = ?", claimID).Delete(&diagnosisRow{}).Error
	}))
}

// PartsUsed returns a claim's parts and diagnosis codes.
func (s *Store) PartsUsed(ctx context.Context, claimID string) ([]bench.Part, []string, error) {
	var rows []claimPartRow
	if err := s.db.WithContext(ctx).Where("claim_id = ?", claimID).Order("part_number").Find(&rows).Error; err != nil {
		return nil, nil, translate(err)
	}
	parts := make([]bench.Part, len(rows))
	for i, r := range rows {
		parts[i] = bench.Part{Number: r.PartNumber, Name: r.Name, Quantity: r.Quantity}
	}
	var d diagnosisRow
	err := s.db.WithContext(ctx).Where("claim_id = ?", claimID).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return parts, nil, nil
	}
	if err != nil {
		return nil, nil, translate(err)
	}
	return parts, strings.Split(d.Codes, ","), nil
}

// PutStock sets a center's stock of a part.
func (s *Store) PutStock(ctx context.Context, st bench.Stock) error {
	var n int64
	if err := s.db.WithContext(ctx).Table("centers").Where("code = ?", st.Center).Count(&n).Error; err != nil {
		return translate(err)
	}
	if n == 0 {
		return fault.ErrNoRecord
	}
	row := stockRow{CenterCode: st.Center, PartNumber: st.Part.Number, Name: st.Part.Name, Quantity: st.Part.Quantity,
		LowAt: st.LowAt, UpdatedAt: time.Now().UTC()}
	return translate(s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error)
}

// Stock lists a center's stock by part number.
func (s *Store) Stock(ctx context.Context, center string) ([]bench.Stock, error) {
	var rows []stockRow
	if err := s.db.WithContext(ctx).Where("center_code = ?", center).Order("part_number").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]bench.Stock, len(rows))
	for i, r := range rows {
		out[i] = r.stock()
	}
	return out, nil
}

// DeviceClaims returns the claims filed for a device or that replaced it,
// newest first.
func (s *Store) DeviceClaims(ctx context.Context, id string) ([]claim.Claim, error) {
	var rows []claimRow
	if err := s.db.WithContext(ctx).Where("imei = ? OR replacement_imei = ?", id, id).
		Order("created_at DESC, id DESC").Limit(200).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]claim.Claim, len(rows))
	for i, r := range rows {
		out[i] = r.claim()
	}
	return out, nil
}
