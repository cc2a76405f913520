package worker_test

import (
	"context"
	"testing"
)

// TestBreachEscalatedOnceWhenTheDeadlineStays: a question answered the
// same day leaves the review deadline where it was, so two escalation jobs
// wait for the same instant; the breach is told to each person once.
func TestBreachEscalatedOnceWhenTheDeadlineStays(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		rma := e.file()
		if _, err := e.app.Claims.RequestInfo(ctx, e.actor("rep@example.com"), rma, "¿Tiene la factura?"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Claims.Answer(ctx, e.actor("buyer@example.com"), rma, "Да"); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(at(2026, 6, 2, 0, 1)) // past the 5-day deadline, which the answer did not move
		e.sweep()
		got := e.mails(rma)
		for _, want := range []string{"review_escalate admin@example.com", "review_escalate rep@example.com"} {
			if n := count(got, want); n != 1 {
				t.Errorf("%q sent %d times: %v", want, n, got)
			}
		}
	})
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
