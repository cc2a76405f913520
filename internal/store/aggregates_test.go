package store_test

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	"gorm.io/gorm"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/order"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

func TestOutboxJobLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := fixture(t, st)
		ctx := context.Background()
		job := func(kind claim.JobKind, at time.Time) claim.Job {
			return claim.Job{ID: ulid.Make().String(), Kind: kind, ClaimID: c.ID, RunAt: at}
		}
		past, soon, later := job(claim.JobNotify, now.Add(-time.Hour)), job(claim.JobReviewReminder, now),
			job(claim.JobReviewEscalate, now.Add(time.Hour))
		prev := c.Version
		c.Version++
		if err := st.UpdateClaim(ctx, c, prev, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: "pick",
			From: c.Status, To: c.Status, ActorID: "x", ActorRole: account.Rep}, []claim.Job{later, soon, past}); err != nil {
			t.Fatal(err)
		}
		un, err := st.Unqueued(ctx, 2)
		if err != nil || len(un) != 2 {
			t.Fatalf("unqueued (limit 2): %v %v", un, err)
		}
		if err := st.MarkEnqueued(ctx, []string{past.ID, soon.ID}, now); err != nil {
			t.Fatal(err)
		}
		if err := st.MarkEnqueued(ctx, nil, now); err != nil {
			t.Fatal(err)
		}
		un, _ = st.Unqueued(ctx, 10)
		if len(un) != 1 || un[0].ID != later.ID || un[0].Kind != claim.JobReviewEscalate || !un[0].RunAt.Equal(later.RunAt) {
			t.Errorf("left unqueued: %+v", un)
		}
		// Due by now: the past one and the one due exactly now, oldest first.
		due, err := st.DueJobs(ctx, now, now, nil, 10)
		if err != nil || len(due) != 2 || due[0].ID != past.ID || due[1].ID != soon.ID {
			t.Fatalf("overdue at now: %+v %v", due, err)
		}
		if due, _ := st.DueJobs(ctx, now, now, nil, 1); len(due) != 1 {
			t.Errorf("limit ignored: %d", len(due))
		}
		if _, ok, err := st.TakeJob(ctx, past.ID, now, time.Minute); err != nil || !ok {
			t.Fatalf("take: %v %v", ok, err)
		}
		if err := st.FinishJob(ctx, past.ID, now); err != nil {
			t.Fatal(err)
		}
		if err := st.FinishJob(ctx, past.ID, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		j, done, err := st.JobState(ctx, past.ID)
		if err != nil || !done || j.Kind != claim.JobNotify || j.ClaimID != c.ID {
			t.Errorf("finished job: %+v %v %v", j, done, err)
		}
		var row struct {
			Attempts int
			DoneAt   time.Time
		}
		if err := st.DB().Table("jobs").Select("attempts, done_at").Where("id = ?", past.ID).Scan(&row).Error; err != nil {
			t.Fatal(err)
		}
		if row.Attempts != 1 || !row.DoneAt.Equal(now) {
			t.Errorf("attempts %d, done at %v: a second finish must change nothing", row.Attempts, row.DoneAt)
		}
		if _, done, _ := st.JobState(ctx, soon.ID); done {
			t.Error("an unfinished job reads as done")
		}
		if _, _, err := st.JobState(ctx, ulid.Make().String()); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("missing job: %v", err)
		}
		if due, _ := st.DueJobs(ctx, now, now, nil, 10); len(due) != 1 || due[0].ID != soon.ID {
			t.Errorf("a finished job is still overdue: %+v", due)
		}
		if n, err := st.PendingCount(ctx); err != nil || n != 2 {
			t.Errorf("pending %d: %v", n, err)
		}
	})
}

func TestCentersRouteEachCountryOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ber := center.Center{Code: "BER", Name: "Berlin", Country: "DE", TimeZone: "Europe/Berlin",
			Address: []string{"Str. 1", "Berlin"}, Serves: []string{"AT", "DE"}}
		if created, err := st.PutCenter(ctx, ber, now); err != nil || !created {
			t.Fatalf("create: %v %v", created, err)
		}
		ber.Name, ber.Serves = "Berlin Nord", []string{"DE"}
		if created, err := st.PutCenter(ctx, ber, now); err != nil || created {
			t.Fatalf("replace: %v %v", created, err)
		}
		if _, err := st.CenterForCountry(ctx, "AT"); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("a country no longer served still routes: %v", err)
		}
		got, err := st.CenterForCountry(ctx, "DE")
		if err != nil || got.Name != "Berlin Nord" || len(got.Address) != 2 || got.TimeZone != "Europe/Berlin" {
			t.Errorf("route DE: %+v %v", got, err)
		}
		mad := center.Center{Code: "MAD", Name: "Madrid", Country: "ES", TimeZone: "Europe/Madrid",
			Address: []string{"C/ 1"}, Serves: []string{"ES", "DE"}}
		if _, err := st.PutCenter(ctx, mad, now); !fault.Is(err, fault.Conflict) {
			t.Fatalf("a country taken by another center: %v", err)
		}
		if ok, _ := st.CenterExists(ctx, "MAD"); ok {
			t.Error("a refused center was written")
		}
		mad.Serves = []string{"ES"}
		if _, err := st.PutCenter(ctx, mad, now); err != nil {
			t.Fatal(err)
		}
		all, err := st.Centers(ctx)
		if err != nil || len(all) != 2 || all[0].Code != "BER" || all[1].Code != "MAD" || len(all[1].Serves) != 1 {
			t.Errorf("centers: %+v %v", all, err)
		}
		if _, err := st.Center(ctx, "LIS"); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("missing center: %v", err)
		}
	})
}

func TestUsersAndTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		u := account.User{ID: ulid.Make().String(), Email: "t@example.com", Name: "T", PasswordHash: "h",
			Role: account.Technician, Language: "es", CenterCode: "", Status: account.Active, CreatedAt: now}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		u2 := u
		u2.ID = ulid.Make().String()
		if err := st.CreateUser(ctx, u2); !errors.Is(err, fault.ErrDuplicate) {
			t.Errorf("second account for one e-mail: %v", err)
		}
		if err := st.CreateToken(ctx, u.ID, "hash-1", now.Add(time.Hour), now); err != nil {
			t.Fatal(err)
		}
		if got, err := st.UserByToken(ctx, "hash-1", now); err != nil || got.ID != u.ID || got.Language != "es" {
			t.Errorf("live token: %+v %v", got, err)
		}
		if _, err := st.UserByToken(ctx, "hash-1", now.Add(time.Hour)); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("a token at its expiry instant: %v", err)
		}
		if err := st.RevokeToken(ctx, "hash-1", now); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeToken(ctx, "hash-1", now); err != nil {
			t.Errorf("revoking twice: %v", err)
		}
		if _, err := st.UserByToken(ctx, "hash-1", now); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("a revoked token: %v", err)
		}
		if err := st.SetUserStatus(ctx, u.ID, account.Suspended); err != nil {
			t.Fatal(err)
		}
		if s, err := st.UserStatus(ctx, u.ID); err != nil || s != account.Suspended {
			t.Errorf("status %s %v", s, err)
		}
		if err := st.SetUserStatus(ctx, ulid.Make().String(), account.Active); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("suspending nobody: %v", err)
		}
		if got, err := st.UserByEmail(ctx, "t@example.com"); err != nil || got.ID != u.ID || got.CenterCode != "" {
			t.Errorf("by e-mail: %+v %v", got, err)
		}
	})
}

func TestOrdersAndSlips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := fixture(t, st) // order O1 of b@example.com
		o, err := st.Order(ctx, "O1")
		if err != nil || o.BuyerEmail != "b@example.com" || !o.Has(coverage.ExtendedWarranty) || o.Has(coverage.AccidentalDamage) ||
			o.CompletedAt == nil || !o.CompletedAt.Equal(now) {
			t.Fatalf("order: %+v %v", o, err)
		}
		if ok, _ := st.HasOrdersFor(ctx, "b@example.com"); !ok {
			t.Error("the buyer has no orders")
		}
		if ok, _ := st.HasOrdersFor(ctx, "nobody@example.com"); ok {
			t.Error("a stranger has orders")
		}
		good := order.Order{Number: "O2", BuyerEmail: "b@example.com", BuyerName: "B", ShippingAddress: []string{"a"},
			Country: "DE", ProductName: "P", Category: "laptop"}
		bad := good
		bad.Number = "O3"
		// The second order of the batch fails to insert.
		var inserts atomic.Int32
		fail := errors.New("injected")
		if err := st.DB().Callback().Create().Before("gorm:create").Register("test:fail_orders", func(db *gorm.DB) {
			if db.Statement.Table == "orders" && inserts.Add(1) == 2 {
				_ = db.AddError(fail)
			}
		}); err != nil {
			t.Fatal(err)
		}
		err = st.PutOrders(ctx, []order.Write{{Order: good}, {Order: bad}}, now)
		_ = st.DB().Callback().Create().Remove("test:fail_orders")
		if !errors.Is(err, fail) {
			t.Errorf("a batch with a failing order: %v", err)
		}
		if _, err := st.Order(ctx, "O2"); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("half a batch was written: %v", err)
		}
		if err := st.PutOrders(ctx, []order.Write{{Order: good}}, now); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Order(ctx, "O2"); err != nil {
			t.Error(err)
		}

		pdf := []byte("%PDF-1.4 slip")
		if err := st.PutSlip(ctx, "key-1", c.ID, pdf, now); err != nil {
			t.Fatal(err)
		}
		if err := st.PutSlip(ctx, "key-1", c.ID, pdf, now); err != nil {
			t.Errorf("keeping the same slip twice: %v", err)
		}
		if got, err := st.Slip(ctx, "key-1"); err != nil || !bytes.Equal(got, pdf) {
			t.Errorf("slip: %q %v", got, err)
		}
		if _, err := st.Slip(ctx, "key-2"); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("missing slip: %v", err)
		}
	})
}

// TestCreateClaimWritesItsJobs: a new claim's jobs are in the outbox with it.
func TestCreateClaimWritesItsJobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := fixture(t, st)
		ctx := context.Background()
		c2 := c
		c2.ID, c2.RMANumber, c2.IMEI = ulid.Make().String(), claim.NewRMANumber(), "356938035643809"
		ev := claim.Event{ID: ulid.Make().String(), ClaimID: c2.ID, At: now, Action: "submit", To: claim.Submitted,
			ActorID: c.BuyerID, ActorRole: account.Buyer}
		jobs := []claim.Job{{ID: ulid.Make().String(), Kind: claim.JobNotify, ClaimID: c2.ID, EventID: ev.ID, RunAt: now},
			{ID: ulid.Make().String(), Kind: claim.JobReviewEscalate, ClaimID: c2.ID, RunAt: now.AddDate(0, 0, 7)}}
		if err := st.CreateClaim(ctx, c2, ev, jobs); err != nil {
			t.Fatal(err)
		}
		un, err := st.Unqueued(ctx, 10)
		if err != nil || len(un) != 2 || un[0].ClaimID != c2.ID || un[0].EventID != ev.ID {
			t.Errorf("outbox after filing: %+v %v", un, err)
		}
		// The same device again is a duplicate: one open claim per device.
		c3 := c2
		c3.ID, c3.RMANumber = ulid.Make().String(), claim.NewRMANumber()
		ev.ID, ev.ClaimID = ulid.Make().String(), c3.ID
		if err := st.CreateClaim(ctx, c3, ev, nil); !errors.Is(err, fault.ErrDuplicate) {
			t.Errorf("a second open claim for the device: %v", err)
		}
	})
}
