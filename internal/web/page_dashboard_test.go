package web_test

import (
	"context"
	"regexp"
	"testing"
)

var pastDue = regexp.MustCompile(`<p class="big" id="past-due">(\d+)</p>`)

// TestDashboardCountsPastDuePromisesFromTheLedger: the "past a deadline"
// figure is the ledger's count of open promises past their date, however
// long ago they fell due (not only in the 30 days of the compliance
// figures), and a promise kept is not counted.
func TestDashboardCountsPastDuePromisesFromTheLedger(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		figure := func() string {
			t.Helper()
			res, body := h.browserAs(t, "admin@example.com").get("/admin") // signed in anew: the clock jumps
			m := pastDue.FindStringSubmatch(body)
			if res.StatusCode != 200 || m == nil {
				t.Fatalf("dashboard: %d\n%s", res.StatusCode, body)
			}
			return m[1]
		}
		late := h.file()
		h.file()
		if got := figure(); got != "0" {
			t.Errorf("before any deadline: %s past due", got)
		}
		h.clock.Set(h.clock.Now().AddDate(0, 0, 60)) // both answers 60 days late: outside the 30-day figures
		if got := figure(); got != "2" {
			t.Errorf("two answers late: %s past due", got)
		}
		rep, err := h.app.Accounts.Login(context.Background(), "rep@example.com", password) // the old token expired
		if err != nil {
			t.Fatal(err)
		}
		h.tokens["rep"] = rep.Token
		h.must(h.do("POST", "/api/v1/claims/"+late+"/reject", "rep", map[string]any{"reason_code": "other"}), 200)
		if got := figure(); got != "1" {
			t.Errorf("one late answer given: %s past due", got)
		}
	})
}
