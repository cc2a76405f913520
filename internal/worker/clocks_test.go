package worker_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"rma/internal/claim"
)

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, berlin)
}

func expect(t *testing.T, e *env, rma string, want ...string) {
	t.Helper()
	if got := e.mails(rma); !slices.Equal(got, want) {
		t.Errorf("mails\n got %q\nwant %q", got, want)
	}
}

// TestReviewClockAcrossWeekendAndHoliday: filed on Friday 22 May 2026 in
// Germany; Monday 25 May is Whit Monday. The 2-day target ends on Wednesday
// 27 May, the 5-day deadline on Monday 1 June.
func TestReviewClockAcrossWeekendAndHoliday(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		rma := e.file()
		e.sweep()
		expect(t, e, rma, "submit buyer@example.com")

		e.clock.Set(at(2026, 5, 27, 23, 30))
		e.sweep()
		expect(t, e, rma, "submit buyer@example.com")

		e.clock.Set(at(2026, 5, 28, 0, 1))
		e.sweep()
		expect(t, e, rma, "submit buyer@example.com", "review_reminder rep@example.com")

		e.clock.Set(at(2026, 6, 1, 23, 30))
		e.sweep()
		expect(t, e, rma, "submit buyer@example.com", "review_reminder rep@example.com")

		e.clock.Set(at(2026, 6, 2, 0, 1))
		e.sweep()
		e.sweep() // a second sweep finds nothing left to do
		expect(t, e, rma, "submit buyer@example.com", "review_reminder rep@example.com",
			"review_escalate admin@example.com", "review_escalate rep@example.com", "apology_answer buyer@example.com")

		// The breach shows on the claim and in the overdue list.
		v, _ := e.app.Claims.Get(context.Background(), e.actor("rep@example.com"), rma)
		if ov := v.Claim.Overdue(e.clock.Now()); len(ov) != 1 || ov[0] != claim.ReviewClock {
			t.Errorf("overdue %v", ov)
		}
		list, _ := e.app.Claims.List(context.Background(), e.actor("rep@example.com"), claim.Filter{Overdue: true, Limit: 10})
		if len(list) != 1 || list[0].RMANumber != rma {
			t.Errorf("overdue list %v", list)
		}
		// Staff are written to in their own language: the rep speaks Spanish.
		recs, _ := e.app.Mailer.List(context.Background(), mailTo("rep@example.com"))
		if len(recs) == 0 || !strings.Contains(recs[0].Subject, "Vencida") || recs[0].Language != "es" {
			t.Errorf("rep's escalation: %+v", recs)
		}
	})
}

// TestAnsweredQuestionMovesTheDeadline: the escalation planned for the first
// deadline finds the deadline moved and does nothing; the new one fires.
func TestAnsweredQuestionMovesTheDeadline(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		rma := e.file()
		if _, err := e.app.Claims.RequestInfo(ctx, e.actor("rep@example.com"), rma, "¿Tiene la factura?"); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(at(2026, 5, 29, 9, 0)) // answered the next Friday: 5 working days were left
		if _, err := e.app.Claims.Answer(ctx, e.actor("buyer@example.com"), rma, "Да"); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(at(2026, 6, 2, 0, 1)) // the first deadline has passed
		e.sweep()
		for _, m := range e.mails(rma) {
			if strings.HasPrefix(m, "review_escalate") {
				t.Fatalf("escalated at the old deadline: %v", e.mails(rma))
			}
		}
		e.clock.Set(at(2026, 6, 6, 0, 1)) // Friday 5 June was the new deadline
		e.sweep()
		if got := e.mails(rma); !slices.Contains(got, "review_escalate admin@example.com") {
			t.Errorf("no escalation at the new deadline: %v", got)
		}
	})
}

// TestTurnaroundWarnsAtDayTenAndEscalatesAtFifteen.
func TestTurnaroundWarnsAtDayTenAndEscalatesAtFifteen(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		rma := e.file()
		e.approve(rma)
		received := e.clock.Now()
		e.receive(rma)
		e.sweep()
		base := []string{"submit buyer@example.com", "approve buyer@example.com", "receive buyer@example.com"}
		expect(t, e, rma, base...)

		e.clock.Set(received.AddDate(0, 0, 10).Add(-time.Minute))
		e.sweep()
		expect(t, e, rma, base...)
		e.clock.Set(received.AddDate(0, 0, 10).Add(time.Minute))
		e.sweep()
		base = append(base, "turnaround_warn tech@example.com") // Berlin's technician only
		expect(t, e, rma, base...)
		e.clock.Set(received.AddDate(0, 0, 15).Add(time.Minute))
		e.sweep()
		expect(t, e, rma, append(base, "turnaround_escalate tech@example.com", "turnaround_escalate admin@example.com",
			"apology_return buyer@example.com")...)
	})
}

// TestShipByRemindsThenExpires.
func TestShipByRemindsThenExpires(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		rma := e.file()
		approved := e.clock.Now()
		e.approve(rma)
		e.sweep()
		e.clock.Set(approved.AddDate(0, 0, 23).Add(time.Minute))
		e.sweep()
		base := []string{"submit buyer@example.com", "approve buyer@example.com", "ship_by_reminder buyer@example.com"}
		expect(t, e, rma, base...)
		e.clock.Set(approved.AddDate(0, 0, 30).Add(-time.Minute))
		e.sweep()
		expect(t, e, rma, base...)
		e.clock.Set(approved.AddDate(0, 0, 30).Add(time.Minute))
		e.sweep()
		expect(t, e, rma, append(base, "expire buyer@example.com")...)
		v, _ := e.app.Claims.Get(context.Background(), e.actor("buyer@example.com"), rma)
		if v.Claim.Status != claim.Expired {
			t.Errorf("status %s", v.Claim.Status)
		}
		recs, _ := e.app.Mailer.List(context.Background(), mailTo("buyer@example.com"))
		if recs[0].Language != "ru" || !strings.Contains(recs[0].Subject, "истёк") {
			t.Errorf("expiry mail %q in %s", recs[0].Subject, recs[0].Language)
		}
	})
}

// TestApprovalMailCarriesTheSlip.
func TestApprovalMailCarriesTheSlip(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		rma := e.file()
		e.approve(rma)
		e.sweep()
		recs, err := e.st.ListMailFull(context.Background(), rma, "approve")
		if err != nil || len(recs) != 1 {
			t.Fatalf("%v %v", recs, err)
		}
		m := recs[0]
		if m.AttachmentName != rma+"-a4.pdf" || !strings.HasPrefix(string(m.Attachment), "%PDF-") {
			t.Errorf("attachment %q (%d bytes)", m.AttachmentName, len(m.Attachment))
		}
		if !strings.Contains(m.Text, "Иван Петров") || !strings.Contains(m.HTML, "<a href=\"https://rma.example.com/claims/"+rma+"\"") {
			t.Errorf("text %q\nhtml %q", m.Text, m.HTML)
		}
	})
}

// TestShippedDevicesAreDeliveredThenClosed: nobody confirms the delivery;
// the system counts it delivered after 10 days and closes the claim 14
// days later, freeing nothing early and never reopening.
func TestShippedDevicesAreDeliveredThenClosed(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		rma := e.file()
		e.approve(rma)
		e.receive(rma)
		tech := e.actor("tech@example.com")
		steps := []func() error{
			func() error {
				_, err := e.app.Claims.Decide(ctx, tech, rma, claim.Diagnosis{Findings: "Board.", Decision: "repair"})
				return err
			},
			func() error { _, err := e.app.Claims.MarkReady(ctx, tech, rma, ""); return err },
			func() error { _, err := e.app.Claims.ShipBack(ctx, tech, rma, "UPS", "1Z"); return err },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		shipped := e.clock.Now()
		status := func() claim.Status {
			v, _ := e.app.Claims.Get(ctx, e.actor("buyer@example.com"), rma)
			return v.Claim.Status
		}
		e.clock.Set(shipped.AddDate(0, 0, 10).Add(-time.Minute))
		e.sweep()
		if st := status(); st != claim.Shipped {
			t.Fatalf("before 10 days: %s", st)
		}
		e.clock.Set(shipped.AddDate(0, 0, 10).Add(time.Minute))
		e.sweep()
		if st := status(); st != claim.Delivered {
			t.Fatalf("after 10 days: %s", st)
		}
		e.clock.Set(shipped.AddDate(0, 0, 24).Add(2 * time.Minute))
		e.sweep()
		if st := status(); st != claim.Closed {
			t.Fatalf("after 14 more days: %s", st)
		}
	})
}
