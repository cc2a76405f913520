package account

import (
	"context"
	"errors"
	"fmt"

	"rma/internal/fault"
)

// ErrNoUser is an e-mail no account has.
var ErrNoUser = fault.Field("email", "user_not_found")

// Suspend stops an account at once: its sessions and API tokens are
// revoked in the same transaction, and it cannot sign in until activated.
func (s *Service) Suspend(ctx context.Context, email string) (User, error) {
	return s.setStatus(ctx, email, Suspended)
}

// Activate lets a suspended account sign in again (its old tokens stay
// revoked).
func (s *Service) Activate(ctx context.Context, email string) (User, error) {
	return s.setStatus(ctx, email, Active)
}

// SetStanding is an admin suspending (revoking every session and token at
// once) or reactivating the account with the given id. Admins cannot
// suspend themselves, so that the last admin cannot lock everyone out.
func (s *Service) SetStanding(ctx context.Context, by Actor, userID string, st Status) (User, error) {
	if st != Active && st != Suspended {
		return User{}, fault.Field("status", "status_invalid")
	}
	if by.UserID == userID && st == Suspended {
		return User{}, ErrSuspendSelf
	}
	u, err := s.store.UserByID(ctx, userID)
	if errors.Is(err, fault.ErrNoRecord) {
		return User{}, fault.New(fault.NotFound, "user_not_found")
	}
	if err != nil {
		return User{}, fmt.Errorf("find user: %w", err)
	}
	return s.apply(ctx, u, st)
}

// ErrSuspendSelf is an admin suspending their own account.
var ErrSuspendSelf = fault.New(fault.Conflict, "cannot_suspend_self")

func (s *Service) setStatus(ctx context.Context, email string, st Status) (User, error) {
	u, err := s.byEmail(ctx, email)
	if err != nil {
		return User{}, err
	}
	return s.apply(ctx, u, st)
}

func (s *Service) apply(ctx context.Context, u User, st Status) (User, error) {
	if err := s.store.SetStatusAndRevoke(ctx, u.ID, st, st == Suspended, s.now()); err != nil {
		return User{}, fmt.Errorf("set account status: %w", err)
	}
	u.Status = st
	return u, nil
}

// SetPassword replaces a user's password (checked like a new one) and
// revokes every session and token, so that whoever knew the old password
// is signed out everywhere.
func (s *Service) SetPassword(ctx context.Context, email, password string) (User, error) {
	u, err := s.byEmail(ctx, email)
	if err != nil {
		return User{}, err
	}
	if reason := WeakPassword(password, u.Email, u.Name); reason != "" {
		return User{}, fault.Field("password", reason)
	}
	hash, err := s.hasher.Hash(password)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	if err := s.store.SetPasswordAndRevoke(ctx, u.ID, hash, s.now()); err != nil {
		return User{}, fmt.Errorf("set password: %w", err)
	}
	return u, nil
}

func (s *Service) byEmail(ctx context.Context, email string) (User, error) {
	email, _ = NormalizeEmail(email)
	u, err := s.store.UserByEmail(ctx, email)
	if errors.Is(err, fault.ErrNoRecord) {
		return User{}, ErrNoUser
	}
	if err != nil {
		return User{}, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}
