package worker_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"rma/internal/i18n"
)

var isoDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// TestLettersWriteDatesInTheBuyersLanguage: the ship-by reminder's subject
// and body give the day in Russian, after "до" in the genitive ("до
// воскресенья, 21 июня 2026"), as the center's day; no letter shows an
// ISO date.
func TestLettersWriteDatesInTheBuyersLanguage(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		rma := e.file()
		approved := e.clock.Now()
		e.approve(rma)
		e.sweep()
		e.clock.Set(approved.AddDate(0, 0, 23).Add(time.Minute))
		e.sweep()
		v, err := e.app.Claims.Get(ctx, e.actor("buyer@example.com"), rma)
		if err != nil || v.Claim.ShipBy == nil {
			t.Fatalf("claim %v %v", v.Claim.ShipBy, err)
		}
		day := cat.Until("ru", *v.Claim.ShipBy, berlin)
		if !strings.Contains(day, "2026") || isoDate.MatchString(day) {
			t.Fatalf("ship-by day %q", day)
		}
		recs, err := e.st.ListMailFull(ctx, rma, "ship_by_reminder")
		if err != nil || len(recs) != 1 {
			t.Fatalf("%v %v", recs, err)
		}
		m := recs[0]
		if !strings.Contains(m.Subject, "до "+day) || !strings.Contains(m.Text, "до "+day) {
			t.Errorf("the reminder does not say %q:\nsubject %q\n%s", "до "+day, m.Subject, m.Text)
		}
		for _, kind := range []string{"submit", "approve", "ship_by_reminder"} {
			recs, err := e.st.ListMailFull(ctx, rma, kind)
			if err != nil || len(recs) == 0 {
				t.Fatalf("%s: %v %v", kind, recs, err)
			}
			for _, m := range recs {
				if d := isoDate.FindString(m.Subject + m.Text + m.HTML); d != "" {
					t.Errorf("%s letter shows the ISO date %s:\n%s", kind, d, m.Text)
				}
			}
		}
	})
}
