package store

import (
	"context"
	"time"

	"rma/internal/money"
	"rma/internal/refund"
)

// UntoldCompensations returns late-delivery compensations whose buyer was
// not told yet, with the order's buyer and country and the language of the
// buyer's account, oldest first.
func (s *Store) UntoldCompensations(ctx context.Context, limit int) ([]refund.Notice, error) {
	var rows []struct {
		ID          string
		OrderNumber string
		AmountMinor int64
		Currency    string
		Reason      string
		Source      string
		Status      string
		CreatedAt   time.Time
		BuyerEmail  string
		BuyerName   string
		ProductName string
		Country     string
		Language    *string
	}
	err := s.db.WithContext(ctx).Table("refunds r").
		Select("r.id AS id, r.order_number AS order_number, r.amount_minor AS amount_minor, r.currency AS currency, "+
			"r.reason AS reason, r.source AS source, r.status AS status, r.created_at AS created_at, "+
			"o.buyer_email AS buyer_email, o.buyer_name AS buyer_name, o.product_name AS product_name, o.country AS country, "+
			"u.language AS language").
		Joins("JOIN orders o ON o.number = r.order_number").
		Joins("LEFT JOIN users u ON u.email = o.buyer_email").
		Where("r.source = ? AND r.told_at IS NULL", string(refund.FromLateDelivery)).
		Order("r.created_at, r.id").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]refund.Notice, len(rows))
	for i, r := range rows {
		out[i] = refund.Notice{Refund: refund.Refund{ID: r.ID, OrderNumber: r.OrderNumber,
			Amount: money.Money{Minor: r.AmountMinor, Currency: r.Currency}, Reason: r.Reason,
			Source: refund.Source(r.Source), Status: refund.Status(r.Status), CreatedAt: r.CreatedAt.UTC()},
			BuyerEmail: r.BuyerEmail, BuyerName: r.BuyerName, Product: r.ProductName, Country: r.Country, Language: str(r.Language)}
	}
	return out, nil
}

// MarkRefundTold records when the buyer was told of a refund.
func (s *Store) MarkRefundTold(ctx context.Context, id string, at time.Time) error {
	return translate(s.db.WithContext(ctx).Table("refunds").Where("id = ? AND told_at IS NULL", id).
		Update("told_at", at.UTC()).Error)
}
