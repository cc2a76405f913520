package claim_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/fault"
)

// afterClaimRead runs fn after every read of the claims table while the
// returned switch is on: another writer acting between a read and the
// write that follows it.
func afterClaimRead(t *testing.T, e *env, fn func(db *gorm.DB)) *atomic.Bool {
	t.Helper()
	var on atomic.Bool
	name := "test:after_claim_read"
	must(t, e.st.DB().Callback().Query().After("gorm:query").Register(name, func(db *gorm.DB) {
		if on.Load() && db.Statement.Table == "claims" && db.Error == nil {
			fn(db)
		}
	}))
	t.Cleanup(func() { _ = e.st.DB().Callback().Query().Remove(name) })
	return &on
}

// bumpVersion is another writer changing the claim behind the reader's back.
func bumpVersion(e *env, id string) func(*gorm.DB) {
	return func(db *gorm.DB) {
		if err := db.Session(&gorm.Session{NewDB: true}).Exec("UPDATE claims SET version = version + 1 WHERE id = ?", id).Error; err != nil {
			panic(err)
		}
	}
}

func TestEveryTransitionAddsOneToTheVersion(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Delivered)
		v := e.reload(t, c.RMANumber)
		if v.Claim.Version != len(v.Events) {
			t.Errorf("version %d after %d events", v.Claim.Version, len(v.Events))
		}
	})
}

// TestLosingARaceRereadsAndRetries: a claim changed between the read and the
// write is read again and the transition applied to what is there now.
func TestLosingARaceRereadsAndRetries(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.submit(t)
		var bumps atomic.Int32
		bump := bumpVersion(e, c.ID)
		on := afterClaimRead(t, e, func(db *gorm.DB) {
			if bumps.Add(1) == 1 {
				bump(db)
			}
		})
		on.Store(true)
		v, err := e.svc.Approve(e.ctx, e.rep, c.RMANumber, "")
		on.Store(false)
		if err != nil || v.Claim.Status != claim.Approved {
			t.Fatalf("approve after losing once: %v", err)
		}
		if got := e.reload(t, c.RMANumber); got.Claim.Version != 3 || len(got.Events) != 2 {
			t.Errorf("v%d with %d events, want v3 (bumped once) and 2 events", got.Claim.Version, len(got.Events))
		}
	})
}

// TestAClaimThatKeepsChangingIsBusy: a claim changed behind every read is
// given up on with a conflict, not retried for ever.
func TestAClaimThatKeepsChangingIsBusy(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.submit(t)
		var reads atomic.Int32
		bump := bumpVersion(e, c.ID)
		// The other writer stops after 50 changes: a loop without a bound
		// would then get through instead of answering busy.
		on := afterClaimRead(t, e, func(db *gorm.DB) {
			if reads.Add(1) <= 50 {
				bump(db)
			}
		})
		on.Store(true)
		_, err := e.svc.Approve(e.ctx, e.rep, c.RMANumber, "")
		on.Store(false)
		refused(t, err, fault.Conflict, "claim_busy", "")
		if n := reads.Load(); n < 2 || n > 10 {
			t.Errorf("%d reads before giving up", n)
		}
		if got := e.reload(t, c.RMANumber); got.Claim.Status != claim.Submitted || len(got.Events) != 1 {
			t.Errorf("a busy claim was written: %s, %d events", got.Claim.Status, len(got.Events))
		}
	})
}

// TestScanRacingAnotherScanAnswersAsARepeat: the label is scanned at two
// stations at once; the one that loses answers like a repeated scan.
func TestScanRacingAnotherScanAnswersAsARepeat(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.InTransit)
		var reads atomic.Int32
		var other claim.View
		var otherErr error
		on := afterClaimRead(t, e, func(*gorm.DB) {
			// Receive reads the claim, then act reads it again: the other
			// station's scan lands between act's read and its write.
			if reads.Add(1) == 2 {
				other, _, otherErr = e.svc.Receive(e.ctx, e.techBER, c.RMANumber, "")
			}
		})
		on.Store(true)
		v, fresh, err := e.svc.Receive(e.ctx, e.techBER, c.RMANumber, "")
		on.Store(false)
		if otherErr != nil || other.Claim.Status != claim.Received {
			t.Fatalf("the other scan: %v", otherErr)
		}
		if err != nil || fresh || v.Claim.Status != claim.Received {
			t.Fatalf("the losing scan: %v, fresh=%v, %s", err, fresh, v.Claim.Status)
		}
		var receives int
		for _, ev := range e.reload(t, c.RMANumber).Events {
			if ev.Action == claim.Receive {
				receives++
			}
		}
		if receives != 1 {
			t.Errorf("%d receive events", receives)
		}
	})
}

func TestAnotherCenterLearnsNothingFromAScan(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.InTransit)
		// Not even that the device does not match.
		if _, _, err := e.svc.Receive(e.ctx, e.techMAD, c.RMANumber, otherIMEI); !isNotFound(err) {
			t.Errorf("another center, another device: %v", err)
		}
		if _, _, err := e.svc.Receive(e.ctx, e.techBER, c.RMANumber, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.Receive(e.ctx, e.techMAD, c.RMANumber, ""); !isNotFound(err) {
			t.Errorf("another center, received claim: %v", err)
		}
		if _, _, err := e.svc.Receive(e.ctx, e.rep, c.RMANumber, ""); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a rep receives: %v", err)
		}
	})
}

func TestForeignActionsChangeNothing(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		day := start.AddDate(0, 0, -1)
		mt, err := e.svc.Submit(e.ctx, e.maltese, claim.Request{OrderNumber: "ORD-MT", Coverage: coverage.AccidentalDamage,
			IMEI: maltaIMEI, Description: "Dropped it, the screen cracked.", IncidentDate: &day})
		if err != nil {
			t.Fatal(err)
		}
		c := mt.Claim
		if _, err := e.svc.Cancel(e.ctx, e.stranger, c.RMANumber, ""); !isNotFound(err) {
			t.Errorf("another buyer cancels: %v", err)
		}
		r := e.at(t, claim.Received)
		if _, err := e.svc.StartDiagnosis(e.ctx, e.techMAD, r.RMANumber); !isNotFound(err) {
			t.Errorf("another center diagnoses: %v", err)
		}
		if v := e.reload(t, c.RMANumber); v.Claim.Status != claim.Submitted || len(v.Events) != 1 {
			t.Errorf("a foreign cancel wrote: %s, %d events", v.Claim.Status, len(v.Events))
		}
		if v := e.reload(t, r.RMANumber); v.Claim.Status != claim.Received {
			t.Errorf("a foreign diagnosis wrote: %s", v.Claim.Status)
		}
	})
}

func TestTextLimitsAreInclusive(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.submit(t)
		long := strings.Repeat("é", 4000)
		_, err := e.svc.RequestInfo(e.ctx, e.rep, c.RMANumber, long+"x")
		refused(t, err, fault.Invalid, "text_too_long", "question")
		if _, err := e.svc.RequestInfo(e.ctx, e.rep, c.RMANumber, long); err != nil {
			t.Errorf("a question of 4,000 characters: %v", err)
		}
		if _, err := e.svc.Cancel(e.ctx, e.buyer, c.RMANumber, ""); err != nil { // frees the device
			t.Fatal(err)
		}

		a := e.at(t, claim.Approved)
		for _, bad := range [][2]string{{strings.Repeat("c", 65), "1Z"}, {"UPS", strings.Repeat("1", 65)}, {" ", "1Z"}, {"UPS", ""}} {
			_, err := e.svc.MarkSent(e.ctx, e.buyer, a.RMANumber, bad[0], bad[1])
			if fe, ok := fault.As(err); !ok || fe.Kind != fault.Invalid {
				t.Errorf("carrier %q, tracking %q: %v", bad[0], bad[1], err)
			}
		}
		v, err := e.svc.MarkSent(e.ctx, e.buyer, a.RMANumber, " "+strings.Repeat("c", 64), strings.Repeat("1", 64)+" ")
		if err != nil || v.Claim.InboundCarrier != strings.Repeat("c", 64) || v.Claim.InboundTracking != strings.Repeat("1", 64) {
			t.Errorf("64-character carrier and tracking: %v", err)
		}
	})
}

// jobTimes returns when each of a claim's jobs of a kind is due, in order.
func (e *env) jobTimes(t *testing.T, claimID string, kind claim.JobKind) []time.Time {
	t.Helper()
	var rows []struct{ RunAt time.Time }
	must(t, e.st.DB().Table("jobs").Select("run_at").Where("claim_id = ? AND kind = ?", claimID, string(kind)).
		Order("run_at").Scan(&rows).Error)
	out := make([]time.Time, len(rows))
	for i, r := range rows {
		out[i] = r.RunAt
	}
	return out
}

// TestEachClockSchedulesItsJobsOnTime: the outbox rows carry the times of
// DESIGN.md's clocks.
func TestEachClockSchedulesItsJobsOnTime(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.at(t, claim.Delivered)
		v := e.reload(t, c.RMANumber)
		at := map[claim.Action]time.Time{}
		for _, ev := range v.Events {
			at[ev.Action] = ev.At
		}
		berlin, _ := time.LoadLocation("Europe/Berlin")
		approved := e.reload(t, c.RMANumber).Claim
		for kind, want := range map[claim.JobKind]time.Time{
			// Friday 27 November: the 2nd working day ends Tuesday night in Berlin.
			claim.JobReviewReminder:     time.Date(2026, 12, 1, 23, 59, 59, 0, berlin),
			claim.JobShipByReminder:     approved.ShipBy.AddDate(0, 0, -claim.ShipByReminderDays),
			claim.JobShipByExpire:       *approved.ShipBy,
			claim.JobTurnaroundWarn:     approved.ReceivedAt.AddDate(0, 0, claim.TurnaroundWarnDays),
			claim.JobTurnaroundEscalate: *approved.ReturnDueAt,
			claim.JobAutoDeliver:        at[claim.ShipBack].AddDate(0, 0, claim.AutoDeliverDays),
			claim.JobClose:              at[claim.Deliver].AddDate(0, 0, claim.CloseDays),
		} {
			got := e.jobTimes(t, c.ID, kind)
			if len(got) != 1 || !got[0].Equal(want) {
				t.Errorf("%s at %v, want %v", kind, got, want)
			}
		}
		if got := e.jobTimes(t, c.ID, claim.JobReviewEscalate); len(got) != 1 || !got[0].Equal(*approved.ReviewDueAt) {
			t.Errorf("review escalation at %v, want %v", got, approved.ReviewDueAt)
		}
		if got := e.jobTimes(t, c.ID, claim.JobNotify); len(got) != len(v.Events) {
			t.Errorf("%d notifications, want one per step: %d", len(got), len(v.Events))
		}
	})
}
