package claim_test

import (
	"errors"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"rma/internal/claim"
	"rma/internal/fault"
)

var errInjected = errors.New("injected fault")

// failInserts makes every insert into table fail while the returned switch
// is on: a fault injected between the rows of one transition.
func failInserts(t *testing.T, e *env, table string) *atomic.Bool {
	t.Helper()
	var on atomic.Bool
	name := "test:fail_" + table
	err := e.st.DB().Callback().Create().Before("gorm:create").Register(name, func(db *gorm.DB) {
		if on.Load() && db.Statement.Table == table {
			_ = db.AddError(errInjected)
		}
	})
	must(t, err)
	t.Cleanup(func() { _ = e.st.DB().Callback().Create().Remove(name) })
	return &on
}

// TestTransitionIsWrittenWholeOrNotAtAll: the claim update, its event and its
// jobs (the outbox) are one transaction. A failure at the event or at the
// jobs leaves the claim as it was, with no event and no job of the failed
// transition, and the caller is told.
func TestTransitionIsWrittenWholeOrNotAtAll(t *testing.T) {
	for _, table := range []string{"claim_events", "jobs"} {
		t.Run(table, func(t *testing.T) {
			each(t, func(t *testing.T, e *env) {
				c := e.submit(t)
				before := e.reload(t, c.RMANumber)
				jobs := e.rows(t, "jobs", c.ID)
				fail := failInserts(t, e, table)
				fail.Store(true)
				_, err := e.svc.Approve(e.ctx, e.rep, c.RMANumber, "fine")
				fail.Store(false)
				if !errors.Is(err, errInjected) {
					t.Fatalf("approve with a failing %s insert: %v", table, err)
				}
				after := e.reload(t, c.RMANumber)
				if after.Claim.Status != claim.Submitted || after.Claim.Version != before.Claim.Version ||
					after.Claim.ShipBy != nil {
					t.Errorf("claim written without its %s: %s v%d", table, after.Claim.Status, after.Claim.Version)
				}
				if len(after.Events) != len(before.Events) {
					t.Errorf("%d events, want %d", len(after.Events), len(before.Events))
				}
				if n := e.rows(t, "jobs", c.ID); n != jobs {
					t.Errorf("%d jobs, want %d", n, jobs)
				}
				// Nothing is stuck: the same approval goes through afterwards.
				if v, err := e.svc.Approve(e.ctx, e.rep, c.RMANumber, "fine"); err != nil || v.Claim.Status != claim.Approved {
					t.Fatalf("approve after the fault: %v", err)
				}
				if n := e.rows(t, "jobs", c.ID); n <= jobs {
					t.Errorf("approval wrote no jobs (%d)", n)
				}
			})
		})
	}
}

// TestFilingIsWrittenWholeOrNotAtAll: a new claim, its first event and its
// jobs are one transaction too.
func TestFilingIsWrittenWholeOrNotAtAll(t *testing.T) {
	for _, table := range []string{"claim_events", "jobs"} {
		t.Run(table, func(t *testing.T) {
			each(t, func(t *testing.T, e *env) {
				fail := failInserts(t, e, table)
				fail.Store(true)
				_, err := e.svc.Submit(e.ctx, e.buyer, warranty())
				fail.Store(false)
				if !errors.Is(err, errInjected) {
					t.Fatalf("submit with a failing %s insert: %v", table, err)
				}
				for _, tb := range []string{"claims", "claim_events", "jobs"} {
					var n int64
					must(t, e.st.DB().Table(tb).Count(&n).Error)
					if n != 0 {
						t.Errorf("%d rows in %s after a failed filing", n, tb)
					}
				}
				// The device is not left marked as having an open claim.
				if c := e.submit(t); e.rows(t, "jobs", c.ID) == 0 {
					t.Error("filing wrote no jobs")
				}
			})
		})
	}
}

// TestTakenRMANumberIsDrawnAgain: when the number drawn for a new claim is
// taken (the database's unique key says so), another is drawn; a number
// that is taken draw after draw ends in a conflict, not a loop.
func TestTakenRMANumberIsDrawnAgain(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var tries atomic.Int32
		var first string
		var times atomic.Int32
		name := "test:rma_taken"
		must(t, e.st.DB().Callback().Create().Before("gorm:create").Register(name, func(db *gorm.DB) {
			if db.Statement.Table != "claims" || tries.Add(1) > times.Load() {
				return
			}
			if first == "" {
				first = db.Statement.ReflectValue.FieldByName("RMANumber").String()
			}
			_ = db.AddError(gorm.ErrDuplicatedKey)
		}))
		t.Cleanup(func() { _ = e.st.DB().Callback().Create().Remove(name) })

		times.Store(1)
		v, err := e.svc.Submit(e.ctx, e.buyer, warranty())
		if err != nil || v.Claim.RMANumber == first || first == "" {
			t.Fatalf("second draw: %v, %q after %q", err, v.Claim.RMANumber, first)
		}
		if _, err := e.svc.Cancel(e.ctx, e.buyer, v.Claim.RMANumber, ""); err != nil {
			t.Fatal(err)
		}

		tries.Store(0)
		times.Store(1000)
		_, err = e.svc.Submit(e.ctx, e.buyer, warranty())
		if !fault.Is(err, fault.Conflict) {
			t.Errorf("every number taken: %v", err)
		}
		if n := tries.Load(); n < 2 || n > 10 {
			t.Errorf("%d draws", n)
		}
		if n := e.rows(t, "claims", v.Claim.ID); n != 1 {
			t.Errorf("%d rows", n)
		}
	})
}
