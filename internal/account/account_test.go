package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

func TestWeakPassword(t *testing.T) {
	for _, tc := range []struct {
		password, email, name, want string
	}{
		{"short1", "a@example.com", "", "password_too_short"},
		{"password12", "a@example.com", "", "password_common"},
		{"qwertyuiop1", "a@example.com", "", "password_common"},
		{"Password123!", "a@example.com", "", "password_common"},
		{"iloveyou2026", "a@example.com", "", "password_common"},
		{"margaritalopez1", "m@example.com", "Margarita Lopez", "password_common"},
		{"buyer-secret-9", "buyer@example.com", "", "password_contains_email"},
		{"onlyletterslong", "a@example.com", "", "password_too_simple"},
		{"test-pass-123", "a@example.com", "", ""},
		{"lamp-rocket-2026", "a@example.com", "", ""},
	} {
		if got := account.WeakPassword(tc.password, tc.email, tc.name); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.password, got, tc.want)
		}
	}
}

// Suspension revokes every token of the user in the same step, and the
// account cannot sign in until it is activated; a reset revokes too.
func TestStandingAndPasswordRevokeTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		s := account.NewService(st, account.Hasher{Cost: 4}, time.Hour, func() time.Time { return now })
		admin, err := s.Create(ctx, account.NewUser{Email: "admin@example.com", Name: "A", Password: "test-pass-123", Role: account.Admin})
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.Create(ctx, account.NewUser{Email: "b@example.com", Name: "B", Password: "test-pass-123", Role: account.Buyer})
		if err != nil {
			t.Fatal(err)
		}
		var tokens []string
		for i := 0; i < 2; i++ {
			sess, err := s.Login(ctx, "b@example.com", "test-pass-123")
			if err != nil {
				t.Fatal(err)
			}
			tokens = append(tokens, sess.Token)
		}
		if _, err := s.SetStanding(ctx, admin.Actor(), admin.ID, account.Suspended); !errors.Is(err, account.ErrSuspendSelf) {
			t.Errorf("self-suspension: %v", err)
		}
		if _, err := s.SetStanding(ctx, admin.Actor(), u.ID, account.Suspended); err != nil {
			t.Fatal(err)
		}
		for _, tok := range tokens {
			if _, err := s.Authenticate(ctx, tok); err == nil {
				t.Error("a token survived the suspension")
			}
		}
		if _, err := s.Login(ctx, "b@example.com", "test-pass-123"); !errors.Is(err, account.ErrSuspended) {
			t.Errorf("login while suspended: %v", err)
		}
		if _, err := s.Login(ctx, "b@example.com", "wrong-pass-123"); !errors.Is(err, account.ErrBadCredentials) {
			t.Errorf("a wrong password while suspended: %v", err)
		}
		if _, err := s.Activate(ctx, "B@example.com"); err != nil {
			t.Fatal(err)
		}
		sess, err := s.Login(ctx, "b@example.com", "test-pass-123")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetPassword(ctx, "b@example.com", "password12"); err == nil {
			t.Error("a common password was set")
		}
		if _, err := s.SetPassword(ctx, "b@example.com", "lamp-rocket-2026"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, sess.Token); err == nil {
			t.Error("a token survived the new password")
		}
		if _, err := s.Suspend(ctx, "nobody@example.com"); !errors.Is(err, account.ErrNoUser) {
			t.Errorf("unknown user: %v", err)
		}
	})
}
