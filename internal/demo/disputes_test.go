package demo_test

import (
	"context"
	"testing"
	"time"

	"rma/internal/app"
	"rma/internal/config"
	"rma/internal/demo"
	"rma/internal/dispute"
	"rma/internal/refund"
)

// TestSeedGivesSellersDisputes: with the Basic protection services the demo
// has two sellers who can sign in, disputes in five states (waiting for the
// seller, for the buyer, for a rep, refunded, a return agreed), and the late
// order's compensation in the refunds ledger.
func TestSeedGivesSellersDisputes(t *testing.T) {
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
	svc := demo.Services{Accounts: a.Accounts, Centers: a.Centers, Orders: a.Orders, Claims: a.Claims,
		Sellers: a.Sellers, Disputes: a.Disputes}
	for range 2 {
		if _, err := demo.Seed(ctx, svc, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	s, err := a.Accounts.Login(ctx, "seller@example.com", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := a.Disputes.List(ctx, s.User.Actor(), dispute.Filter{Limit: 50})
	if err != nil || len(mine) != 3 {
		t.Fatalf("the seller's disputes: %+v %v", mine, err)
	}
	rep, _ := a.Accounts.Login(ctx, "rep@example.com", demo.Password)
	all, _ := a.Disputes.List(ctx, rep.User.Actor(), dispute.Filter{Limit: 50})
	statuses := map[dispute.Status]int{}
	for _, d := range all {
		statuses[d.Status]++
	}
	if len(all) != 5 || statuses[dispute.Open] != 1 || statuses[dispute.Offered] != 1 || statuses[dispute.Escalated] != 1 ||
		statuses[dispute.Refunded] != 1 || statuses[dispute.Agreed] != 1 {
		t.Fatalf("disputes %v", statuses)
	}
	admin, _ := a.Accounts.Login(ctx, "admin@example.com", demo.Password)
	rs, err := a.Refunds.List(ctx, admin.User.Actor(), "ORD-2004", 10)
	if err != nil || len(rs) != 1 || rs[0].Source != refund.FromLateDelivery || rs[0].Amount.Amount() != "4.99" {
		t.Fatalf("late compensation %+v %v", rs, err)
	}
}
