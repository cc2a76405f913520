package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"rma/internal/coverage"
	"rma/internal/money"
	"rma/internal/order"
	"rma/internal/refund"
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
	SellerCode      *string
	PriceMinor      *int64
	Currency        *string
	// PromisedDeliveryAt and DeliveredAt drive the on-time delivery
	// guarantee.
	PromisedDeliveryAt *time.Time
	DeliveredAt        *time.Time
	UpdatedAt          time.Time
}

func (orderRow) TableName() string { return "orders" }

func (r orderRow) order() order.Order {
	o := order.Order{Number: r.Number, BuyerEmail: r.BuyerEmail, BuyerName: r.BuyerName,
		ShippingAddress: lines(r.ShippingAddress), CompletedAt: r.CompletedAt, Country: r.Country,
		ProductName: r.ProductName, Category: r.Category}
	o.IMEI, o.SerialNumber = str(r.IMEI), str(r.SerialNumber)
	o.SellerCode = str(r.SellerCode)
	if r.PriceMinor != nil {
		o.Price = money.Money{Minor: *r.PriceMinor, Currency: str(r.Currency)}
	}
	o.PromisedDeliveryAt, o.DeliveredAt = r.PromisedDeliveryAt, r.DeliveredAt
	for _, k := range strings.Split(r.Coverages, ",") {
		if k != "" {
			o.Coverages = append(o.Coverages, coverage.Kind(k))
		}
	}
	return o
}

// PutOrder creates or replaces an order that owes nothing.
func (s *Store) PutOrder(ctx context.Context, o order.Order, now time.Time) (created bool, err error) {
	return s.PutOrderOwing(ctx, order.Write{Order: o}, now)
}

// PutOrderOwing creates or replaces an order and, in the same transaction,
// writes the refund it owes unless the ledger already holds one with its
// key: however often an order is re-imported, and however many updates run
// at once, it owes its compensation once.
func (s *Store) PutOrderOwing(ctx context.Context, w order.Write, now time.Time) (created bool, err error) {
	o := w.Order
	kinds := make([]string, len(o.Coverages))
	for i, k := range o.Coverages {
		kinds[i] = string(k)
	}
	row := orderRow{Number: o.Number, BuyerEmail: o.BuyerEmail, BuyerName: o.BuyerName,
		ShippingAddress: joinLines(o.ShippingAddress), CompletedAt: o.CompletedAt, Country: o.Country,
		ProductName: o.ProductName, Category: o.Category, IMEI: nullable(o.IMEI), SerialNumber: nullable(o.SerialNumber),
		Coverages: strings.Join(kinds, ","), SellerCode: nullable(o.SellerCode),
		PromisedDeliveryAt: o.PromisedDeliveryAt, DeliveredAt: o.DeliveredAt, UpdatedAt: now.UTC()}
	if !o.Price.IsZero() {
		row.PriceMinor, row.Currency = &o.Price.Minor, &o.Price.Currency
	}
	err = s.transact(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&orderRow{}).Where("number = ?", o.Number).Count(&n).Error; err != nil {
			return err
		}
		created = n == 0
		// A new order is inserted: when another import inserted it
		// meanwhile, the duplicate key makes transact run this again, and
		// the second attempt updates it. So "created" is said once.
		if err := upsert(tx, created, &row); err != nil {
			return err
		}
		if w.Owed != nil {
			_, err := insertRefundOnce(tx, *w.Owed)
			return err
		}
		return nil
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
func (s *Store) PutOrders(ctx context.Context, orders []order.Write, now time.Time) error {
	orders = slices.Clone(orders)
	slices.SortStableFunc(orders, func(a, b order.Write) int { return strings.Compare(a.Order.Number, b.Order.Number) })
	return translate(s.transact(ctx, func(tx *gorm.DB) error {
		txStore := &Store{db: tx, dialect: s.dialect, inTx: true}
		for _, o := range orders {
			if _, err := txStore.PutOrderOwing(ctx, o, now); err != nil {
				return err
			}
		}
		return nil
	}))
}

// UndeliveredLate returns the orders promised before before, still not
// delivered, with a price, that owe no late-delivery refund yet.
func (s *Store) UndeliveredLate(ctx context.Context, before time.Time, limit int) ([]order.Order, error) {
	var rows []orderRow
	err := s.db.WithContext(ctx).
		Where("promised_delivery_at < ? AND delivered_at IS NULL AND price_minor IS NOT NULL", before.UTC()).
		Where("NOT EXISTS (SELECT 1 FROM refunds r WHERE r.source_key = " + s.concat("'late_delivery:'", "orders.number") + ")").
		Order("promised_delivery_at").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]order.Order, len(rows))
	for i, r := range rows {
		out[i] = r.order()
	}
	return out, nil
}

// concat is SQL string concatenation in the store's dialect.
func (s *Store) concat(a, b string) string {
	if s.dialect == MySQL {
		return "CONCAT(" + a + ", " + b + ")"
	}
	return "(" + a + " || " + b + ")"
}

// OweRefund writes a refund unless the ledger holds one with its key; it
// reports whether it wrote one.
func (s *Store) OweRefund(ctx context.Context, r refund.Refund) (bool, error) {
	var wrote bool
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		wrote, err = insertRefundOnce(tx, r)
		return err
	})
	return wrote, translate(err)
}
