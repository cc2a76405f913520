package worker_test

import (
	"context"
	"testing"

	"rma/internal/claim"
	"rma/internal/mail"
)

// TestHeldLetterFinishesItsJobOnce: without an SMTP server the buyer's
// letter is kept held and its job finished in one write. Run again (a
// task delivered twice, a sweep after a lost mark), the job keeps one
// letter; a job whose letter was kept before its finish was recorded (a
// crash between the two) is finished by the letter found under its key.
func TestHeldLetterFinishesItsJobOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		rma := e.file()
		id := e.jobOf(rma, claim.JobNotify)
		if err := e.app.Runner.Run(ctx, id); err != nil {
			t.Fatal(err)
		}
		assertHeld := func(when string) {
			t.Helper()
			recs, err := e.app.Mailer.List(ctx, mail.Filter{RMANumber: rma, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 || recs[0].Status != mail.Held || recs[0].Kind != "submit" {
				t.Fatalf("%s: %d letters %+v, want one held submit letter", when, len(recs), recs)
			}
			rec, err := e.st.JobRecord(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if rec.DoneAt == nil || rec.DeadAt != nil {
				t.Fatalf("%s: job done %v, dead %v", when, rec.DoneAt, rec.DeadAt)
			}
		}
		assertHeld("first run")
		// The finish is lost (as if the worker died after the letter's
		// write): the next run finds the letter and finishes the job.
		if err := e.st.DB().Exec("UPDATE jobs SET done_at = NULL, lease_until = NULL WHERE id = ?", id).Error; err != nil {
			t.Fatal(err)
		}
		if err := e.app.Runner.Run(ctx, id); err != nil {
			t.Fatal(err)
		}
		assertHeld("second run")
		// A finished job run again changes nothing.
		if err := e.app.Runner.Run(ctx, id); err != nil {
			t.Fatal(err)
		}
		assertHeld("third run")
	})
}
