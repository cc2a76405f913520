package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/order"
)

// OpenCounts counts the claims that are not closed, by center and status.
func (s *Store) OpenCounts(ctx context.Context) ([]claim.StatusCount, error) {
	var rows []struct {
		CenterCode string
		Status     string
		N          int
	}
	err := s.db.WithContext(ctx).Model(&claimRow{}).Select("center_code, status, COUNT(*) AS n").
		Where("status NOT IN ?", []string{string(claim.Closed), string(claim.Rejected), string(claim.Cancelled), string(claim.Expired)}).
		Group("center_code, status").Scan(&rows).Error
	out := make([]claim.StatusCount, len(rows))
	for i, r := range rows {
		out[i] = claim.StatusCount{CenterCode: r.CenterCode, Status: claim.Status(r.Status), N: r.N}
	}
	return out, translate(err)
}

// ReviewCompliance counts the claims first answered since `since` and how
// many of them were answered by their review deadline. (The first answer is
// found in Go: SQLite returns an aggregate of times as text.)
func (s *Store) ReviewCompliance(ctx context.Context, since time.Time) (onTime, total int, err error) {
	decisions := []string{string(claim.Approve), string(claim.Reject), string(claim.RequestInfo)}
	var rows []struct {
		ClaimID string
		Due     *time.Time
		At      time.Time
	}
	recent := s.db.Session(&gorm.Session{NewDB: true}).Table("claim_events").Select("claim_id").
		Where("action IN ? AND at >= ?", decisions, since.UTC())
	err = s.db.WithContext(ctx).Table("claim_events e").
		Select("e.claim_id AS claim_id, c.review_due_at AS due, e.at AS at").
		Joins("JOIN claims c ON c.id = e.claim_id").
		Where("e.action IN ? AND e.claim_id IN (?)", decisions, recent).Scan(&rows).Error
	type answer struct {
		due   *time.Time
		first time.Time
	}
	first := map[string]answer{}
	for _, r := range rows {
		if a, ok := first[r.ClaimID]; !ok || r.At.Before(a.first) {
			first[r.ClaimID] = answer{due: r.Due, first: r.At}
		}
	}
	for _, a := range first {
		if a.first.Before(since) {
			continue // answered before the window
		}
		total++
		if a.due == nil || !a.first.After(*a.due) {
			onTime++
		}
	}
	return onTime, total, translate(err)
}

// TurnaroundCompliance counts the devices shipped back since `since` and
// how many left by their return date.
func (s *Store) TurnaroundCompliance(ctx context.Context, since time.Time) (onTime, total int, err error) {
	var rows []struct {
		ShippedAt   time.Time
		ReturnDueAt *time.Time
	}
	err = s.db.WithContext(ctx).Model(&claimRow{}).Select("shipped_at, return_due_at").
		Where("shipped_at >= ?", since.UTC()).Scan(&rows).Error
	for _, r := range rows {
		total++
		if r.ReturnDueAt == nil || !r.ShippedAt.After(*r.ReturnDueAt) {
			onTime++
		}
	}
	return onTime, total, translate(err)
}

// RecentReceipts returns the last devices a user took in.
func (s *Store) RecentReceipts(ctx context.Context, userID string, limit int) ([]claim.Receipt, error) {
	var out []claim.Receipt
	err := s.db.WithContext(ctx).Table("claim_events e").Select("c.rma_number AS rma_number, e.at AS at").
		Joins("JOIN claims c ON c.id = e.claim_id").Where("e.actor_id = ? AND e.action = ?", userID, string(claim.Receive)).
		Order("e.id DESC").Limit(limit).Scan(&out).Error
	return out, translate(err)
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

// PutOrders creates or replaces many orders in one transaction: all or none.
// They are written in order of number, so that two imports lock rows in the
// same order.
func (s *Store) PutOrders(ctx context.Context, orders []order.Order, now time.Time) error {
	orders = slices.Clone(orders)
	slices.SortStableFunc(orders, func(a, b order.Order) int { return strings.Compare(a.Number, b.Number) })
	return translate(s.transact(ctx, func(tx *gorm.DB) error {
		txStore := &Store{db: tx, dialect: s.dialect, inTx: true}
		for _, o := range orders {
			if _, err := txStore.PutOrder(ctx, o, now); err != nil {
				return err
			}
		}
		return nil
	}))
}
