package dispute

import (
	"context"
	"errors"
	"fmt"

	"rma/internal/account"
	"rma/internal/fault"
	"rma/internal/promise"
)

// LateDecisions returns the escalated disputes whose rep did not decide in
// time and whose breach is not noticed yet: the sweep tells admins, reps
// and the buyer, then notices it.
func (s *Service) LateDecisions(ctx context.Context) ([]View, error) {
	numbers, err := s.store.LateDecisions(ctx, s.now().UTC(), 100)
	if err != nil {
		return nil, fmt.Errorf("find late decisions: %w", err)
	}
	sys := account.Actor{UserID: string(System), Role: System}
	var out []View
	for _, n := range numbers {
		v, err := s.Get(ctx, sys, n)
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// NoticeLateDecision marks the dispute's decision promise broken: a change
// without an event, guarded by the dispute's version, so that two workers
// notice it once. It reports whether this call noticed it.
func (s *Service) NoticeLateDecision(ctx context.Context, number string) (bool, error) {
	v, err := s.Get(ctx, account.Actor{UserID: string(System), Role: System}, number)
	if err != nil {
		return false, err
	}
	now := s.now().UTC()
	ch := Change{Dispute: v.Dispute, Promises: v.Promises}
	i := promise.Find(ch.Promises, promise.DisputeDecision)
	if v.Dispute.Status != Escalated || i < 0 || !ch.Promises[i].NoticeBreach(now) {
		return false, nil
	}
	if err := s.store.ApplyDispute(ctx, ch); err != nil {
		if errors.Is(err, fault.ErrStale) {
			return false, nil
		}
		return false, fmt.Errorf("notice late decision: %w", err)
	}
	return true, nil
}
