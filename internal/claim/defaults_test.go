package claim_test

import (
	"testing"
	"time"

	"rma/internal/claim"
	"rma/internal/promise"
)

// TestAQuestionWaitsTheDefaultDays: a service configured without
// waiting-on-buyer days reminds the buyer of a question 3 and 7 days after
// it was asked and abandons the claim after 14, the documented defaults.
func TestAQuestionWaitsTheDefaultDays(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.submit(t)
		asked := e.clock.Now()
		if _, err := e.svc.RequestInfo(e.ctx, e.rep, c.RMANumber, "Does it still charge?"); err != nil {
			t.Fatal(err)
		}
		var rows []struct {
			Kind  string
			RunAt time.Time
		}
		if err := e.st.DB().Table("jobs").Select("kind, run_at").Where("claim_id = ? AND kind IN ?", c.ID,
			[]string{string(claim.JobInfoReminder), string(claim.JobAbandon)}).Order("run_at").Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		want := []struct {
			kind claim.JobKind
			days int
		}{{claim.JobInfoReminder, 3}, {claim.JobInfoReminder, 7}, {claim.JobAbandon, 14}}
		if len(rows) != len(want) {
			t.Fatalf("jobs %+v, want reminders after 3 and 7 days and the end after 14", rows)
		}
		for i, w := range want {
			if at := asked.AddDate(0, 0, w.days); rows[i].Kind != string(w.kind) || !rows[i].RunAt.Equal(at) {
				t.Errorf("job %d: %s at %s, want %s at %s", i, rows[i].Kind, rows[i].RunAt.UTC(), w.kind, at)
			}
		}
	})
}

// TestTheFirstPromiseIsFound: the answer promise, the first a claim makes,
// is found on the claim and is due when the review is.
func TestTheFirstPromiseIsFound(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.submit(t)
		p, ok := c.Promise(promise.Answer)
		if !ok || c.ReviewDueAt == nil || !p.DueAt.Equal(*c.ReviewDueAt) {
			t.Fatalf("answer promise %+v (found %v), review due %v", p, ok, c.ReviewDueAt)
		}
		if _, ok := c.Promise(promise.Return); ok {
			t.Error("a submitted claim promises a return date")
		}
	})
}
