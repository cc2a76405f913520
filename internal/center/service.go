package center

import (
	"context"
	"fmt"
	"time"
)

// Store is what the center service needs from storage.
type Store interface {
	PutCenter(ctx context.Context, c Center, now time.Time) (created bool, err error)
	Centers(ctx context.Context) ([]Center, error)
}

// Service manages service centers.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a center service.
func NewService(store Store, now func() time.Time) *Service { return &Service{store: store, now: now} }

// Put validates and creates or replaces a center.
func (s *Service) Put(ctx context.Context, c Center) (Center, bool, error) {
	c, err := Validate(c)
	if err != nil {
		return Center{}, false, err
	}
	created, err := s.store.PutCenter(ctx, c, s.now())
	if err != nil {
		return Center{}, false, fmt.Errorf("put center: %w", err)
	}
	return c, created, nil
}

// List returns every center.
func (s *Service) List(ctx context.Context) ([]Center, error) {
	cs, err := s.store.Centers(ctx)
	if err != nil {
		return nil, fmt.Errorf("list centers: %w", err)
	}
	return cs, nil
}
