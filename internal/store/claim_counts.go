package store

import (
	"cmp"
	"context"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rma/internal/claim"
)

// claim_counts holds how many claims each center has in each status. Every
// write that files a claim or moves its status or center changes it in the
// same transaction (createClaim, UpdateClaim), so it always equals a count
// of the claims, and the dashboard reads a few rows whatever their number.

type countKey struct{ center, status string }

// moveCount records one claim moving from one center and status to
// another (from is empty for a new claim). The rows are changed in key
// order, so that two transitions crossing the same two rows lock them in
// the same order and cannot deadlock on each other.
func moveCount(tx *gorm.DB, from, to countKey) error {
	if from == to {
		return nil
	}
	keys := []countKey{to}
	if from != (countKey{}) {
		keys = append(keys, from)
	}
	slices.SortFunc(keys, func(a, b countKey) int {
		return cmp.Or(cmp.Compare(a.center, b.center), cmp.Compare(a.status, b.status))
	})
	for _, k := range keys {
		n := 1
		if k == from {
			n = -1
		}
		if err := addCount(tx, k, n); err != nil {
			return err
		}
	}
	return nil
}

// addCount adds n to a row, creating it the first time a center has a
// claim in a status. The plain update comes first: it locks the one
// existing row, where an upsert would also lock the gap around it on
// MariaDB; the upsert covers two transactions creating the same row.
func addCount(tx *gorm.DB, k countKey, n int) error {
	res := tx.Exec("UPDATE claim_counts SET n = n + ? WHERE center_code = ? AND status = ?", n, k.center, k.status)
	if res.Error != nil || res.RowsAffected > 0 {
		return res.Error
	}
	return tx.Table("claim_counts").Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "center_code"}, {Name: "status"}},
		DoUpdates: clause.Assignments(map[string]any{"n": gorm.Expr("n + ?", n)}),
	}).Create(map[string]any{"center_code": k.center, "status": k.status, "n": n}).Error
}

// RebuildClaimCounts counts the claims again into claim_counts, for a bulk
// load that wrote claims around the store.
func (s *Store) RebuildClaimCounts(ctx context.Context) error {
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM claim_counts").Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO claim_counts (center_code, status, n)
			SELECT center_code, status, COUNT(*) FROM claims GROUP BY center_code, status`).Error
	}))
}

// OpenCounts counts the claims that are not closed, by center and status.
func (s *Store) OpenCounts(ctx context.Context) ([]claim.StatusCount, error) {
	var rows []struct {
		CenterCode string
		Status     string
		N          int
	}
	err := s.db.WithContext(ctx).Table("claim_counts").Select("center_code, status, n").
		Where("status NOT IN ? AND n > 0", []string{string(claim.Closed), string(claim.Rejected), string(claim.Cancelled), string(claim.Expired)}).
		Order("center_code, status").Scan(&rows).Error
	out := make([]claim.StatusCount, len(rows))
	for i, r := range rows {
		out[i] = claim.StatusCount{CenterCode: r.CenterCode, Status: claim.Status(r.Status), N: r.N}
	}
	return out, translate(err)
}
