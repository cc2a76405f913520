package seller

import (
	"context"
	"errors"
	"fmt"

	"rma/internal/fault"
)

// ErrNotFound is a seller code no seller has.
var ErrNotFound = fault.Field("seller", "seller_unknown")

// Get returns the seller with the code.
func (s *Service) Get(ctx context.Context, code string) (Seller, error) {
	sl, err := s.store.Seller(ctx, NormalizeCode(code))
	if errors.Is(err, fault.ErrNoRecord) {
		return Seller{}, ErrNotFound
	}
	if err != nil {
		return Seller{}, fmt.Errorf("get seller: %w", err)
	}
	return sl, nil
}
