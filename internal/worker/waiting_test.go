package worker_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"rma/internal/claim"
	"rma/internal/config"
	"rma/internal/mail"
	"rma/internal/promise"
	"rma/internal/worker"
)

// TestWaitingOnTheBuyerRemindsThenAbandons: a question reminds the buyer
// on days 3 and 7 and ends the claim as abandoned on day 14; an answer on
// day 13 stops the clock, and the reminders of the answered question never
// come back.
func TestWaitingOnTheBuyerRemindsThenAbandons(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		rep, buyer := e.actor("rep@example.com"), e.actor("buyer@example.com")
		status := func(rma string) claim.Status {
			v, err := e.app.Claims.Get(ctx, buyer, rma)
			if err != nil {
				t.Fatal(err)
			}
			return v.Claim.Status
		}
		count := func(rma, kind string) int {
			n := 0
			for _, m := range e.mails(rma) {
				if strings.HasPrefix(m, kind+" ") {
					n++
				}
			}
			return n
		}
		silent, answered := e.file(), e.file()
		asked := e.clock.Now()
		for _, rma := range []string{silent, answered} {
			if _, err := e.app.Claims.RequestInfo(ctx, rep, rma, "¿Tiene la factura?"); err != nil {
				t.Fatal(err)
			}
		}
		steps := []struct {
			after       time.Duration
			answer      bool
			reminders   int
			silentState claim.Status
		}{
			{3*24*time.Hour - time.Minute, false, 0, claim.InfoRequested},
			{3*24*time.Hour + time.Minute, false, 1, claim.InfoRequested},
			{7*24*time.Hour - time.Minute, false, 1, claim.InfoRequested},
			{7*24*time.Hour + time.Minute, false, 2, claim.InfoRequested},
			{13 * 24 * time.Hour, true, 2, claim.InfoRequested},
			{14*24*time.Hour - time.Minute, false, 2, claim.InfoRequested},
			{14*24*time.Hour + time.Minute, false, 2, claim.Abandoned},
			{30 * 24 * time.Hour, false, 2, claim.Abandoned},
		}
		for _, s := range steps {
			e.clock.Set(asked.Add(s.after))
			if s.answer {
				if _, err := e.app.Claims.Answer(ctx, buyer, answered, "Да, есть."); err != nil {
					t.Fatal(err)
				}
			}
			e.sweep()
			day := s.after.Hours() / 24
			if got := count(silent, "info_reminder"); got != s.reminders {
				t.Errorf("day %.2f: %d reminders, want %d", day, got, s.reminders)
			}
			if got := count(answered, "info_reminder"); got != s.reminders {
				t.Errorf("day %.2f: the answered claim had %d reminders, want %d", day, got, s.reminders)
			}
			if got := status(silent); got != s.silentState {
				t.Errorf("day %.2f: the silent claim is %s, want %s", day, got, s.silentState)
			}
		}
		if st := status(answered); st == claim.Abandoned {
			t.Error("a claim answered on day 13 was abandoned")
		}
		if n := count(silent, "abandon"); n != 1 {
			t.Errorf("%d abandonment e-mails, want 1: %v", n, e.mails(silent))
		}
		if n := count(answered, "abandon"); n != 0 {
			t.Errorf("the answered claim was told it was abandoned: %v", e.mails(answered))
		}
	})
}

// TestEveryStepMailsItsOwnStatus walks a claim through its whole life before
// any job runs, then runs them: each step the buyer is told of is one
// e-mail, in their language, naming the status of that step, not the
// claim's later one.
func TestEveryStepMailsItsOwnStatus(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		rep, buyer, tech := e.actor("rep@example.com"), e.actor("buyer@example.com"), e.actor("tech@example.com")
		rma := e.file()
		steps := []func() (claim.View, error){
			func() (claim.View, error) { return e.app.Claims.Pick(ctx, rep, rma) },
			func() (claim.View, error) { return e.app.Claims.RequestInfo(ctx, rep, rma, "¿Tiene la factura?") },
			func() (claim.View, error) { return e.app.Claims.Answer(ctx, buyer, rma, "Да") },
			func() (claim.View, error) { return e.app.Claims.Approve(ctx, rep, rma, "") },
			func() (claim.View, error) { return e.app.Claims.MarkSent(ctx, buyer, rma, "DHL", "JJD0001") },
			func() (claim.View, error) { v, _, err := e.app.Claims.Receive(ctx, tech, rma, ""); return v, err },
			func() (claim.View, error) { return e.app.Claims.StartDiagnosis(ctx, tech, rma) },
			func() (claim.View, error) {
				return e.app.Claims.Decide(ctx, tech, rma, claim.Diagnosis{Findings: "Port.", Decision: claim.DecisionRepair})
			},
			func() (claim.View, error) { return e.app.Claims.MarkReady(ctx, tech, rma, "") },
			func() (claim.View, error) { return e.app.Claims.ShipBack(ctx, tech, rma, "UPS", "1Z999") },
			func() (claim.View, error) { return e.app.Claims.Deliver(ctx, buyer, rma) },
		}
		for i, step := range steps {
			if _, err := step(); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
		e.clock.Set(e.clock.Now().AddDate(0, 0, 15)) // closed 14 days after delivery
		e.sweep()
		e.sweep()
		v, err := e.app.Claims.Get(ctx, rep, rma)
		if err != nil {
			t.Fatal(err)
		}
		if v.Claim.Status != claim.Closed {
			t.Fatalf("status %s, want closed", v.Claim.Status)
		}
		recs, err := e.app.Mailer.List(ctx, mail.Filter{RMANumber: rma, To: "buyer@example.com", Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		byKind := map[string][]mail.Record{}
		for _, r := range recs {
			byKind[r.Kind] = append(byKind[r.Kind], r)
		}
		for _, ev := range v.Events {
			kind := string(ev.Action)
			got := byKind[kind]
			if len(got) != 1 {
				t.Errorf("%s: %d e-mails to the buyer, want 1", kind, len(got))
				continue
			}
			status := e.app.Catalog.T("ru", "status."+string(ev.To), nil)
			if got[0].Language != "ru" || !strings.Contains(got[0].Text, status) {
				t.Errorf("%s: the e-mail (%s) does not name its own status %q:\n%s", kind, got[0].Language, status, got[0].Text)
			}
			for _, later := range []claim.Status{claim.Closed, claim.Delivered} {
				if later != ev.To && strings.Contains(got[0].Text, e.app.Catalog.T("ru", "status."+string(later), nil)) {
					t.Errorf("%s: the e-mail names the later status %s", kind, later)
				}
			}
			delete(byKind, kind)
		}
		if len(v.Events) != 13 {
			t.Errorf("%d steps, want 13 (filing to closing)", len(v.Events))
		}
		for kind := range byKind {
			if !slices.Contains([]string{"info_reminder", "apology_answer"}, kind) {
				t.Errorf("an e-mail of kind %s belongs to no step", kind)
			}
		}
	})
}

// TestRemindersFollowTheOpenQuestion: a question answered and asked again
// reminds on the days of the second question only.
func TestRemindersFollowTheOpenQuestion(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		rep, buyer := e.actor("rep@example.com"), e.actor("buyer@example.com")
		rma := e.file()
		start := e.clock.Now()
		if _, err := e.app.Claims.RequestInfo(ctx, rep, rma, "¿Tiene la factura?"); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(start.Add(24 * time.Hour))
		if _, err := e.app.Claims.Answer(ctx, buyer, rma, "Нет"); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(start.Add(48 * time.Hour))
		if _, err := e.app.Claims.RequestInfo(ctx, rep, rma, "¿Y el número de serie?"); err != nil {
			t.Fatal(err)
		}
		reminders := func() int {
			n := 0
			for _, m := range e.mails(rma) {
				if strings.HasPrefix(m, "info_reminder ") {
					n++
				}
			}
			return n
		}
		for _, s := range []struct {
			days float64
			want int
		}{{3.01, 0}, {5.01, 1}, {7.01, 1}, {9.01, 2}} {
			e.clock.Set(start.Add(time.Duration(s.days * 24 * float64(time.Hour))))
			e.sweep()
			if got := reminders(); got != s.want {
				t.Errorf("day %.2f: %d reminders, want %d", s.days, got, s.want)
			}
		}
		e.clock.Set(start.AddDate(0, 0, 15).Add(time.Minute)) // 14 days after the first question, 13 after the second
		e.sweep()
		if v, _ := e.app.Claims.Get(ctx, buyer, rma); v.Claim.Status != claim.InfoRequested {
			t.Errorf("abandoned by the first question's clock: %s", v.Claim.Status)
		}
	})
}

// TestBreachNoticedWithinAMinuteWithoutTheQueue: with the default sweep
// period and patience, a review deadline whose queued task was lost is
// noticed by the sweep alone less than a minute after it passed.
func TestBreachNoticedWithinAMinuteWithoutTheQueue(t *testing.T) {
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if worst := cfg.SweepEvery + worker.DefaultGrace; worst >= time.Minute {
		t.Fatalf("a sweep every %s with %s of patience notices a breach up to %s late", cfg.SweepEvery,
			worker.DefaultGrace, worst)
	}
	eachDB(t, func(t *testing.T, e *env) {
		e.app.Runner.Grace = worker.DefaultGrace
		rma := e.file()
		v, err := e.app.Claims.Get(context.Background(), e.actor("rep@example.com"), rma)
		if err != nil {
			t.Fatal(err)
		}
		due := *v.Claim.ReviewDueAt
		broken := func() bool {
			v, _ := e.app.Claims.Get(context.Background(), e.actor("rep@example.com"), rma)
			p, ok := v.Claim.Promise(promise.Answer)
			return ok && p.State == promise.Broken
		}
		e.clock.Set(due.Add(worker.DefaultGrace - time.Second))
		e.sweep()
		if broken() {
			t.Fatal("noticed before the queue had its chance")
		}
		e.clock.Set(due.Add(worker.DefaultGrace + time.Second))
		e.sweep()
		if !broken() {
			t.Fatal("not noticed by the sweep after its patience ran out")
		}
	})
}
