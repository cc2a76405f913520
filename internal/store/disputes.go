package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rma/internal/account"
	"rma/internal/dispute"
	"rma/internal/fault"
	"rma/internal/money"
	"rma/internal/refund"
	"rma/internal/webhook"
)

type disputeRow struct {
	ID            string `gorm:"primaryKey"`
	Number        string
	Status        string
	OrderNumber   string
	OpenOrder     *string // the order number while the dispute is active: one active dispute per order
	BuyerID       string
	SellerCode    string
	Country       string
	Language      string
	Reason        string
	Description   string
	Remedy        string
	AmountMinor   int64
	Currency      string
	OfferRemedy   string
	OfferMinor    int64
	SellerDueAt   *time.Time
	DecisionDueAt *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time `gorm:"autoUpdateTime:false"`
	Version       int
}

func (disputeRow) TableName() string { return "disputes" }

func toDisputeRow(d dispute.Dispute) disputeRow {
	r := disputeRow{ID: d.ID, Number: d.Number, Status: string(d.Status), OrderNumber: d.OrderNumber,
		BuyerID: d.BuyerID, SellerCode: d.SellerCode, Country: d.Country, Language: d.Language,
		Reason: string(d.Reason), Description: d.Description, Remedy: string(d.Remedy),
		AmountMinor: d.Amount.Minor, Currency: d.Amount.Currency, OfferRemedy: string(d.OfferRemedy),
		OfferMinor: d.OfferAmount.Minor, SellerDueAt: utc(d.SellerDueAt), DecisionDueAt: utc(d.DecisionDueAt),
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version}
	if d.Status.Active() {
		r.OpenOrder = &r.OrderNumber
	}
	return r
}

func (r disputeRow) dispute() dispute.Dispute {
	return dispute.Dispute{ID: r.ID, Number: r.Number, Status: dispute.Status(r.Status), OrderNumber: r.OrderNumber,
		BuyerID: r.BuyerID, SellerCode: r.SellerCode, Country: r.Country, Language: r.Language,
		Reason: dispute.Reason(r.Reason), Description: r.Description, Remedy: dispute.Remedy(r.Remedy),
		Amount: money.Money{Minor: r.AmountMinor, Currency: r.Currency}, OfferRemedy: dispute.Remedy(r.OfferRemedy),
		OfferAmount: money.Money{Minor: r.OfferMinor, Currency: r.Currency}, SellerDueAt: r.SellerDueAt,
		DecisionDueAt: r.DecisionDueAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
}

type disputeEventRow struct {
	ID         string `gorm:"primaryKey"`
	DisputeID  string
	At         time.Time
	Action     string
	FromStatus string
	ToStatus   string
	ActorID    string
	ActorRole  string
	Note       *string
}

func (disputeEventRow) TableName() string { return "dispute_events" }

type disputeMessageRow struct {
	ID        string `gorm:"primaryKey"`
	DisputeID string
	At        time.Time
	ActorID   string
	ActorRole string
	Body      string
}

func (disputeMessageRow) TableName() string { return "dispute_messages" }

func writeDisputeChange(tx *gorm.DB, c dispute.Change) error {
	for _, e := range c.Events {
		row := disputeEventRow{ID: e.ID, DisputeID: c.Dispute.ID, At: e.At.UTC(), Action: string(e.Action),
			FromStatus: string(e.From), ToStatus: string(e.To), ActorID: e.ActorID, ActorRole: string(e.ActorRole),
			Note: nullable(e.Note)}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	if err := saveDisputePromises(tx, c.Dispute.ID, c.Promises); err != nil {
		return err
	}
	if err := enqueueEvents(tx, c.Notices); err != nil {
		return err
	}
	if c.Refund != nil {
		return insertRefund(tx, *c.Refund)
	}
	return nil
}

// CreateDispute writes a new dispute, its first event and its promise in
// one transaction; an order with an active dispute is fault.ErrDuplicate.
func (s *Store) CreateDispute(ctx context.Context, c dispute.Change) error {
	row := toDisputeRow(c.Dispute)
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return writeDisputeChange(tx, c)
	}))
}

// ApplyDispute writes a transition guarded by the version the dispute was
// read at (the row gets the next version), with its events, promises and
// refund, in one transaction; fault.ErrStale when another writer got there
// first.
func (s *Store) ApplyDispute(ctx context.Context, c dispute.Change) error {
	row := toDisputeRow(c.Dispute)
	row.Version = c.Dispute.Version + 1
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&disputeRow{}).Where("id = ? AND version = ?", row.ID, c.Dispute.Version).
			Select("*").Omit("id").Updates(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fault.ErrStale
		}
		return writeDisputeChange(tx, c)
	}))
}

// DisputeView reads a dispute by number with its events, messages and
// promises.
func (s *Store) DisputeView(ctx context.Context, number string) (dispute.View, error) {
	db := s.db.WithContext(ctx)
	var r disputeRow
	if err := db.Where("number = ?", number).Take(&r).Error; err != nil {
		return dispute.View{}, translate(err)
	}
	v := dispute.View{Dispute: r.dispute()}
	var evs []disputeEventRow
	if err := db.Where("dispute_id = ?", r.ID).Order("at, id").Find(&evs).Error; err != nil {
		return dispute.View{}, translate(err)
	}
	for _, e := range evs {
		v.Events = append(v.Events, dispute.Event{ID: e.ID, At: e.At, Action: dispute.Action(e.Action),
			From: dispute.Status(e.FromStatus), To: dispute.Status(e.ToStatus), ActorID: e.ActorID,
			ActorRole: account.Role(e.ActorRole), Note: str(e.Note)})
	}
	var ms []disputeMessageRow
	if err := db.Where("dispute_id = ?", r.ID).Order("at, id").Find(&ms).Error; err != nil {
		return dispute.View{}, translate(err)
	}
	for _, m := range ms {
		v.Messages = append(v.Messages, dispute.Message{ID: m.ID, At: m.At, ActorID: m.ActorID,
			ActorRole: account.Role(m.ActorRole), Body: m.Body})
	}
	ps, err := promisesOf(db, "dispute_id", r.ID)
	v.Promises = ps
	return v, err
}

// ListDisputes returns the disputes f selects.
func (s *Store) ListDisputes(ctx context.Context, f dispute.Filter) ([]dispute.Dispute, error) {
	q := s.db.WithContext(ctx).Model(&disputeRow{})
	if f.BuyerID != "" {
		q = q.Where("buyer_id = ?", f.BuyerID)
	}
	if f.SellerCode != "" {
		q = q.Where("seller_code = ?", f.SellerCode)
	}
	if len(f.Status) > 0 {
		sts := make([]string, len(f.Status))
		for i, st := range f.Status {
			sts[i] = string(st)
		}
		q = q.Where("status IN ?", sts)
	}
	if f.BySellerDue {
		q = q.Order("CASE WHEN seller_due_at IS NULL THEN 1 ELSE 0 END, seller_due_at, id")
	} else {
		if f.After != "" {
			q = q.Where("id < ?", f.After)
		}
		q = q.Order("id DESC")
	}
	var rows []disputeRow
	if err := q.Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]dispute.Dispute, len(rows))
	for i, r := range rows {
		out[i] = r.dispute()
	}
	return out, nil
}

// AddDisputeMessage stores a message on a dispute.
func (s *Store) AddDisputeMessage(ctx context.Context, disputeID string, m dispute.Message) error {
	return translate(s.db.WithContext(ctx).Create(&disputeMessageRow{ID: m.ID, DisputeID: disputeID, At: m.At.UTC(),
		ActorID: m.ActorID, ActorRole: string(m.ActorRole), Body: m.Body}).Error)
}

// UnansweredDisputes returns the numbers of open disputes whose seller
// promise was due before now, the most overdue first.
func (s *Store) UnansweredDisputes(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Model(&disputeRow{}).
		Where("status = ? AND seller_due_at < ?", string(dispute.Open), now.UTC()).
		Order("seller_due_at").Limit(limit).Pluck("number", &out).Error
	return out, translate(err)
}

type refundRow struct {
	ID          string `gorm:"primaryKey"`
	OrderNumber string
	DisputeID   *string
	AmountMinor int64
	Currency    string
	Reason      string
	Source      string
	SourceKey   string
	Status      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (refundRow) TableName() string { return "refunds" }

func insertRefund(tx *gorm.DB, r refund.Refund) error {
	return tx.Create(&refundRow{ID: r.ID, OrderNumber: r.OrderNumber, DisputeID: nullable(r.DisputeID),
		AmountMinor: r.Amount.Minor, Currency: r.Amount.Currency, Reason: r.Reason, Source: string(r.Source),
		SourceKey: r.Key, Status: string(r.Status), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.CreatedAt.UTC()}).Error
}

// insertRefundOnce writes a refund unless one with its key exists, and
// announces the one it wrote (refund.created) in the same transaction.
func insertRefundOnce(tx *gorm.DB, r refund.Refund) (bool, error) {
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&refundRow{ID: r.ID, OrderNumber: r.OrderNumber,
		DisputeID: nullable(r.DisputeID), AmountMinor: r.Amount.Minor, Currency: r.Amount.Currency, Reason: r.Reason,
		Source: string(r.Source), SourceKey: r.Key, Status: string(r.Status), CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.CreatedAt.UTC()})
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	return true, enqueueEvents(tx, []webhook.Event{r.Event()})
}

// Refunds lists the refunds f selects, newest first.
func (s *Store) Refunds(ctx context.Context, f refund.Filter) ([]refund.Refund, error) {
	q := s.db.WithContext(ctx).Table("refunds").Select("refunds.*").Order("refunds.created_at DESC, refunds.id DESC").
		Limit(f.Limit)
	if f.OrderNumber != "" {
		q = q.Where("refunds.order_number = ?", f.OrderNumber)
	}
	if f.BuyerEmail != "" {
		q = q.Joins("JOIN orders o ON o.number = refunds.order_number").Where("o.buyer_email = ?", f.BuyerEmail)
	}
	var rows []refundRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]refund.Refund, len(rows))
	for i, r := range rows {
		out[i] = refund.Refund{ID: r.ID, OrderNumber: r.OrderNumber, DisputeID: str(r.DisputeID),
			Amount: money.Money{Minor: r.AmountMinor, Currency: r.Currency}, Reason: r.Reason,
			Source: refund.Source(r.Source), Key: r.SourceKey, Status: refund.Status(r.Status), CreatedAt: r.CreatedAt}
	}
	return out, nil
}
