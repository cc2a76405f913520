package claim

import (
	"context"
	"errors"
	"fmt"

	"rma/internal/account"
	"rma/internal/fault"
)

// Visible returns the claim alone, without its timeline or promises, when
// the actor may see it (one read): for what needs only the claim's own
// fields, such as its slip. A claim the actor may not see is not found.
func (s *Service) Visible(ctx context.Context, actor account.Actor, rma string) (Claim, error) {
	rma, ok := NormalizeRMANumber(rma)
	if !ok {
		return Claim{}, ErrNotFound
	}
	c, err := s.store.ClaimByRMA(ctx, rma)
	if errors.Is(err, fault.ErrNoRecord) || err == nil && !canSee(actor, c) {
		return Claim{}, ErrNotFound
	}
	if err != nil {
		return Claim{}, fmt.Errorf("get claim: %w", err)
	}
	return c, nil
}
