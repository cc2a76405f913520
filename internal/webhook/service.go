package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"rma/internal/fault"
)

// Store is what the webhook service needs from storage.
type Store interface {
	PutEndpoint(ctx context.Context, e Endpoint, now time.Time) error
	Endpoint(ctx context.Context, name string) (Endpoint, error)
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// SaveAttempt writes a delivery's outcome if it is still at the
	// attempts count it was read with (two workers attempt it once).
	SaveAttempt(ctx context.Context, d Delivery, prevAttempts int) error
	Deliveries(ctx context.Context, status string, limit int) ([]Delivery, error)
	Delivery(ctx context.Context, id string) (Delivery, error)
}

// Service registers endpoints and delivers events.
type Service struct {
	store  Store
	client *http.Client
	now    func() time.Time
}

// NewService returns a webhook service; client nil takes one with a 10 s
// timeout.
func NewService(store Store, client *http.Client, now func() time.Time) *Service {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &Service{store: store, client: client, now: now}
}

// ErrNotFound: no such delivery.
var ErrNotFound = fault.New(fault.NotFound, "webhook_delivery_not_found")

// Put validates and creates or replaces an endpoint.
func (s *Service) Put(ctx context.Context, e Endpoint) (Endpoint, error) {
	e, err := Validate(e)
	if err != nil {
		return Endpoint{}, err
	}
	if err := s.store.PutEndpoint(ctx, e, s.now()); err != nil {
		return Endpoint{}, fmt.Errorf("put webhook: %w", err)
	}
	return e, nil
}

// List returns deliveries, newest first, of one status or all.
func (s *Service) List(ctx context.Context, status string, limit int) ([]Delivery, error) {
	ds, err := s.store.Deliveries(ctx, status, max(1, min(limit, 200)))
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	return ds, nil
}

// Replay sends a delivery again at the next sweep, with the same event id
// and body: a dead one gets another 24 hours.
func (s *Service) Replay(ctx context.Context, id string) (Delivery, error) {
	d, err := s.store.Delivery(ctx, id)
	if errors.Is(err, fault.ErrNoRecord) {
		return Delivery{}, ErrNotFound
	}
	if err != nil {
		return Delivery{}, fmt.Errorf("replay: %w", err)
	}
	prev := d.Attempts
	now := s.now().UTC()
	d.Status, d.NextAttemptAt, d.CreatedAt, d.DeliveredAt = Pending, now, now, nil
	if err := s.store.SaveAttempt(ctx, d, prev); err != nil {
		return Delivery{}, fmt.Errorf("replay: %w", err)
	}
	return d, nil
}

// DeliverDue attempts every pending delivery whose time came and returns
// how many were delivered.
func (s *Service) DeliverDue(ctx context.Context) (int, error) {
	ds, err := s.store.DueDeliveries(ctx, s.now().UTC(), 50)
	if err != nil {
		return 0, fmt.Errorf("due deliveries: %w", err)
	}
	n := 0
	for _, d := range ds {
		ok, err := s.attempt(ctx, d)
		if err != nil && !errors.Is(err, fault.ErrStale) {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// attempt posts one delivery and records the outcome: delivered on a 2xx,
// else retried after a backoff, or dead once it has failed for 24 hours.
func (s *Service) attempt(ctx context.Context, d Delivery) (bool, error) {
	e, err := s.store.Endpoint(ctx, d.Endpoint)
	if err != nil {
		return false, fmt.Errorf("endpoint %s: %w", d.Endpoint, err)
	}
	now := s.now().UTC()
	prev := d.Attempts
	d.Attempts++
	status, sendErr := s.post(ctx, e, d, now)
	d.LastStatus, d.LastError = status, ""
	switch {
	case sendErr == nil && status >= 200 && status < 300:
		d.Status, d.DeliveredAt = Delivered, &now
	default:
		if sendErr != nil {
			d.LastError = sendErr.Error()
		} else {
			d.LastError = fmt.Sprintf("answered %d", status)
		}
		d.NextAttemptAt = now.Add(Backoff(d.Attempts))
		if !now.Before(d.CreatedAt.Add(GiveUpAfter)) {
			d.Status = Dead
		}
	}
	return d.Status == Delivered, s.store.SaveAttempt(ctx, d, prev)
}

func (s *Service) post(ctx context.Context, e Endpoint, d Delivery, now time.Time) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(e.Secret, now, d.Body))
	req.Header.Set("RMA-Event-Id", d.EventID)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}
