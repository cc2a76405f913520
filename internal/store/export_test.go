package store

import (
	"gorm.io/gorm"

	"rma/internal/claim"
)

// ListClaimsSQL returns the statement ListClaims runs for f, so that tests
// can ask the planner about it.
func ListClaimsSQL(s *Store, f claim.Filter) string {
	return s.db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		var rows []claimRow
		return s.listQuery(tx, f).Find(&rows)
	})
}
