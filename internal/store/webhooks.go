package store

import (
	"context"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
	"gorm.io/gorm"

	"rma/internal/fault"
	"rma/internal/webhook"
)

type webhookEndpointRow struct {
	Name      string `gorm:"primaryKey"`
	URL       string `gorm:"column:url"`
	Secret    string
	Events    string // comma-separated types
	UpdatedAt time.Time
}

func (webhookEndpointRow) TableName() string { return "webhook_endpoints" }

type webhookDeliveryRow struct {
	ID            string `gorm:"primaryKey"`
	Endpoint      string
	EventID       string
	EventType     string
	Body          string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastStatus    int
	LastError     *string
	CreatedAt     time.Time `gorm:"autoCreateTime:false"`
	DeliveredAt   *time.Time
}

func (webhookDeliveryRow) TableName() string { return "webhook_deliveries" }

func (r webhookDeliveryRow) delivery() webhook.Delivery {
	return webhook.Delivery{ID: r.ID, Endpoint: r.Endpoint, EventID: r.EventID, Type: r.EventType, Body: []byte(r.Body),
		Status: r.Status, Attempts: r.Attempts, NextAttemptAt: r.NextAttemptAt, LastStatus: r.LastStatus,
		LastError: str(r.LastError), CreatedAt: r.CreatedAt, DeliveredAt: r.DeliveredAt}
}

// PutEndpoint creates or replaces a webhook endpoint.
func (s *Store) PutEndpoint(ctx context.Context, e webhook.Endpoint, now time.Time) error {
	row := webhookEndpointRow{Name: e.Name, URL: e.URL, Secret: e.Secret, Events: strings.Join(e.Events, ","),
		UpdatedAt: now.UTC()}
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&webhookEndpointRow{}).Where("name = ?", e.Name).Count(&n).Error; err != nil {
			return err
		}
		return upsert(tx, n == 0, &row)
	}))
}

// Endpoint returns an endpoint by name.
func (s *Store) Endpoint(ctx context.Context, name string) (webhook.Endpoint, error) {
	var r webhookEndpointRow
	err := s.db.WithContext(ctx).Where("name = ?", name).Take(&r).Error
	return webhook.Endpoint{Name: r.Name, URL: r.URL, Secret: r.Secret, Events: strings.Split(r.Events, ",")}, translate(err)
}

// enqueueEvents writes one delivery per subscribed endpoint for each event,
// inside the transaction of the events' cause: the outbox of webhooks.
func enqueueEvents(tx *gorm.DB, events []webhook.Event) error {
	if len(events) == 0 {
		return nil
	}
	var eps []webhookEndpointRow
	if err := tx.Find(&eps).Error; err != nil {
		return err
	}
	for _, ev := range events {
		for _, ep := range eps {
			e := webhook.Endpoint{Events: strings.Split(ep.Events, ",")}
			if !e.Wants(ev.Type) {
				continue
			}
			row := webhookDeliveryRow{ID: ulid.Make().String(), Endpoint: ep.Name, EventID: ev.ID, EventType: ev.Type,
				Body: string(ev.Body()), Status: webhook.Pending, NextAttemptAt: ev.CreatedAt, CreatedAt: ev.CreatedAt}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// DueDeliveries returns pending deliveries whose next attempt is due.
func (s *Store) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]webhook.Delivery, error) {
	var rows []webhookDeliveryRow
	err := s.db.WithContext(ctx).Where("status = ? AND next_attempt_at <= ?", webhook.Pending, now.UTC()).
		Order("next_attempt_at, id").Limit(limit).Find(&rows).Error
	out := make([]webhook.Delivery, len(rows))
	for i, r := range rows {
		out[i] = r.delivery()
	}
	return out, translate(err)
}

// SaveAttempt writes a delivery's outcome if its attempts count is still
// prevAttempts; fault.ErrStale otherwise.
func (s *Store) SaveAttempt(ctx context.Context, d webhook.Delivery, prevAttempts int) error {
	res := s.db.WithContext(ctx).Model(&webhookDeliveryRow{}).Where("id = ? AND attempts = ?", d.ID, prevAttempts).
		Updates(map[string]any{"status": d.Status, "attempts": d.Attempts, "next_attempt_at": d.NextAttemptAt.UTC(),
			"last_status": d.LastStatus, "last_error": nullable(d.LastError), "created_at": d.CreatedAt.UTC(),
			"delivered_at": utc(d.DeliveredAt)})
	if res.Error == nil && res.RowsAffected == 0 {
		return fault.ErrStale
	}
	return translate(res.Error)
}

// Deliveries lists deliveries, newest first.
func (s *Store) Deliveries(ctx context.Context, status string, limit int) ([]webhook.Delivery, error) {
	q := s.db.WithContext(ctx).Order("id DESC").Limit(limit)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var rows []webhookDeliveryRow
	err := q.Find(&rows).Error
	out := make([]webhook.Delivery, len(rows))
	for i, r := range rows {
		out[i] = r.delivery()
	}
	return out, translate(err)
}

// Delivery returns one delivery.
func (s *Store) Delivery(ctx context.Context, id string) (webhook.Delivery, error) {
	var r webhookDeliveryRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	return r.delivery(), translate(err)
}
