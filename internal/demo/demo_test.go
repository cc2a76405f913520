package demo_test

import (
	"context"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/app"
	"rma/internal/claim"
	"rma/internal/config"
	"rma/internal/demo"
)

// TestSeedGivesEveryRoleSomethingAndRunsOnce loads the demo data the way
// `make run` does, on the embedded defaults.
func TestSeedGivesEveryRoleSomethingAndRunsOnce(t *testing.T) {
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"RMA_DATA_DIR": t.TempDir(), "RMA_BCRYPT_COST": "4"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	svc := demo.Services{Accounts: a.Accounts, Centers: a.Centers, Orders: a.Orders, Claims: a.Claims}
	logins, err := demo.Seed(ctx, svc, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]bool{}
	for _, l := range logins {
		s, err := a.Accounts.Login(ctx, l.Email, demo.Password)
		if err != nil {
			t.Fatalf("%s cannot sign in: %v", l.Email, err)
		}
		roles[l.Role] = true
		if s.User.Role == account.Buyer {
			mine, err := a.Claims.List(ctx, s.User.Actor(), claim.Filter{Limit: 50})
			if err != nil || len(mine) == 0 {
				t.Errorf("%s has no claims to look at: %v", l.Email, err)
			}
		}
	}
	if len(roles) != 4 {
		t.Errorf("roles %v", roles)
	}
	if _, err := demo.Seed(ctx, svc, time.Now()); err != nil {
		t.Fatalf("second seed: %v", err)
	}
	rep, _ := a.Accounts.Login(ctx, "rep@example.com", demo.Password)
	all, _ := a.Claims.List(ctx, rep.User.Actor(), claim.Filter{Limit: 200})
	statuses := map[claim.Status]int{}
	for _, c := range all {
		statuses[c.Status]++
	}
	if len(all) != 3 || statuses[claim.Approved] != 1 || statuses[claim.Submitted] != 1 || statuses[claim.InfoRequested] != 1 {
		t.Errorf("after two seeds: %v", statuses)
	}
}
