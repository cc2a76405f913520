package store

import (
	"context"
	"time"

	"rma/internal/dispute"
	"rma/internal/promise"
)

// SellerPromiseTally counts the promises of one seller's disputes per kind,
// as they stand at now: an open promise past its due time counts as
// overdue, so a seller's figures can never look better than the truth.
func (s *Store) SellerPromiseTally(ctx context.Context, sellerCode string, now time.Time) ([]promise.Tally, error) {
	var rows []struct {
		Kind    string
		State   string
		Overdue int
		N       int
	}
	err := s.db.WithContext(ctx).Table("promises p").
		Select("p.kind AS kind, p.state AS state, "+
			"CASE WHEN p.state = ? AND p.paused_at IS NULL AND p.due_at < ? THEN 1 ELSE 0 END AS overdue, COUNT(*) AS n",
			string(promise.Open), now.UTC()).
		Joins("JOIN disputes d ON d.id = p.dispute_id").
		Where("d.seller_code = ?", sellerCode).
		Group("1, 2, 3").Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := []promise.Tally{{Kind: promise.SellerResponse}, {Kind: promise.DisputeDecision}}
	for _, r := range rows {
		for i := range out {
			if string(out[i].Kind) == r.Kind {
				out[i].Add(promise.State(r.State), r.Overdue == 1, r.N)
			}
		}
	}
	return out, nil
}

// OverdueReturns returns the numbers of returning disputes whose seller's
// return confirmation was due before now and is still open, the most
// overdue first.
func (s *Store) OverdueReturns(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Table("disputes d").
		Joins("JOIN promises p ON p.dispute_id = d.id").
		Where("d.status = ? AND p.kind = ? AND p.state = ? AND p.due_at < ?", string(dispute.Returning),
			string(promise.ReturnConfirmation), string(promise.Open), now.UTC()).
		Order("p.due_at").Limit(limit).Pluck("d.number", &out).Error
	return out, translate(err)
}

// LateDecisions returns the numbers of escalated disputes whose decision
// promise is open past its due time, the most overdue first.
func (s *Store) LateDecisions(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Table("disputes d").
		Joins("JOIN promises p ON p.dispute_id = d.id").
		Where("d.status = ? AND p.kind = ? AND p.state = ? AND p.due_at < ?", string(dispute.Escalated),
			string(promise.DisputeDecision), string(promise.Open), now.UTC()).
		Order("p.due_at").Limit(limit).Pluck("d.number", &out).Error
	return out, translate(err)
}
