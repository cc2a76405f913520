package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"rma/internal/coverage"
	"rma/internal/order"
)

type orderRow struct {
	Number          string `gorm:"primaryKey"`
	BuyerEmail      string
	BuyerName       string
	ShippingAddress string // JSON list of lines
	CompletedAt     *time.Time
	Country         string
	ProductName     string
	Category        string
	IMEI            *string `gorm:"column:imei"`
	SerialNumber    *string
	Coverages       string // comma-separated kinds
	UpdatedAt       time.Time
}

func (orderRow) TableName() string { return "orders" }

func (r orderRow) order() order.Order {
	o := order.Order{Number: r.Number, BuyerEmail: r.BuyerEmail, BuyerName: r.BuyerName,
		ShippingAddress: lines(r.ShippingAddress), CompletedAt: r.CompletedAt, Country: r.Country,
		ProductName: r.ProductName, Category: r.Category}
	o.IMEI, o.SerialNumber = str(r.IMEI), str(r.SerialNumber)
	for _, k := range strings.Split(r.Coverages, ",") {
		if k != "" {
			o.Coverages = append(o.Coverages, coverage.Kind(k))
		}
	}
	return o
}

// PutOrder creates or replaces an order.
func (s *Store) PutOrder(ctx context.Context, o order.Order, now time.Time) (created bool, err error) {
	kinds := make([]string, len(o.Coverages))
	for i, k := range o.Coverages {
		kinds[i] = string(k)
	}
	row := orderRow{Number: o.Number, BuyerEmail: o.BuyerEmail, BuyerName: o.BuyerName,
		ShippingAddress: joinLines(o.ShippingAddress), CompletedAt: o.CompletedAt, Country: o.Country,
		ProductName: o.ProductName, Category: o.Category, IMEI: nullable(o.IMEI), SerialNumber: nullable(o.SerialNumber),
		Coverages: strings.Join(kinds, ","), UpdatedAt: now.UTC()}
	err = s.transact(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&orderRow{}).Where("number = ?", o.Number).Count(&n).Error; err != nil {
			return err
		}
		created = n == 0
		return upsert(tx, created, &row)
	})
	return created, translate(err)
}

// Order returns an order by number.
func (s *Store) Order(ctx context.Context, number string) (order.Order, error) {
	var r orderRow
	err := s.db.WithContext(ctx).Where("number = ?", number).Take(&r).Error
	return r.order(), translate(err)
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
