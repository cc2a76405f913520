package web_test

import (
	"context"
	"html"
	"strings"
	"testing"
	"time"

	"rma/internal/i18n"
	"rma/internal/mail"
)

// TestMailboxFiltersAndSpeaksTheViewersLanguage: the mail log filters by
// recipient, RMA number, status and a range of days in the chosen time
// zone; it writes times in that zone and statuses in the page's language;
// a bad filter is a 422 naming the field.
func TestMailboxFiltersAndSpeaksTheViewersLanguage(t *testing.T) {
	cat, _ := i18n.New()
	each(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		// 21:30 UTC on 10 June is 23:30 in Berlin and 06:30 on 11 June in Tokyo.
		h.clock.Set(time.Date(2026, 6, 10, 21, 30, 0, 0, time.UTC))
		if err := h.app.Mailer.Deliver(ctx, mail.Message{DedupeKey: "t:1", To: "ana.gomez@example.com", Subject: "Subject-Ana",
			Language: "es", RMANumber: "RMA-AAAA-AAAA", Kind: "submit", Text: "a"}); err != nil {
			t.Fatal(err)
		}
		h.clock.Set(time.Date(2026, 6, 12, 10, 0, 0, 0, time.UTC))
		if err := h.app.Mailer.Deliver(ctx, mail.Message{DedupeKey: "t:2", To: "bob@example.org", Subject: "Subject-Bob",
			Language: "en", RMANumber: "RMA-BBBB-BBBB", Kind: "submit", Text: "b"}); err != nil {
			t.Fatal(err)
		}
		recs, err := h.app.Mailer.List(ctx, mail.Filter{To: "bob@example.org", Limit: 1})
		if err != nil || len(recs) != 1 {
			t.Fatalf("%v %v", recs, err)
		}
		status := recs[0].Status
		admin := h.browserAs(t, "admin@example.com")
		show := func(query string) (int, string) {
			t.Helper()
			res, body := admin.get("/admin/mail?" + query)
			return res.StatusCode, html.UnescapeString(body)
		}
		cases := []struct {
			query    string
			ana, bob bool
		}{
			{"", true, true},
			{"to=GOMEZ", true, false},
			{"to=example.org", false, true},
			{"to=%25", false, false}, // a literal %, not a wildcard
			{"rma=rma-bbbb-bbbb", false, true},
			{"status=" + string(status), true, true},
			{"status=failed", false, false},
			{"from=2026-06-11&until=2026-06-11&tz=Asia/Tokyo", true, false},
			{"from=2026-06-11&until=2026-06-11&tz=Europe/Berlin", false, false},
			{"from=2026-06-10&until=2026-06-10&tz=Europe/Berlin", true, false},
			{"from=2026-06-11&tz=UTC", false, true},
			{"until=2026-06-11&tz=UTC", true, false},
		}
		for _, c := range cases {
			code, body := show(c.query)
			if code != 200 || strings.Contains(body, "Subject-Ana") != c.ana || strings.Contains(body, "Subject-Bob") != c.bob {
				t.Errorf("?%s: %d, Ana %v (want %v), Bob %v (want %v)", c.query, code,
					strings.Contains(body, "Subject-Ana"), c.ana, strings.Contains(body, "Subject-Bob"), c.bob)
			}
		}
		if _, body := show("to=ana&tz=Europe/Berlin"); !strings.Contains(body, ", 23:30</time>") || strings.Contains(body, ", 21:30</time>") {
			t.Errorf("the time is not Berlin's:\n%s", body)
		}
		if _, body := show("to=ana&tz=Asia/Tokyo"); !strings.Contains(body, ", 06:30</time>") ||
			!strings.Contains(body, cat.Date("en", time.Date(2026, 6, 11, 0, 0, 0, 0, time.UTC), nil)) {
			t.Errorf("the time is not Tokyo's:\n%s", body)
		}
		for _, lang := range []string{"ru", "es"} {
			_, body := show("lang=" + lang)
			word := cat.T(lang, "mail_status."+string(status), nil)
			if !strings.Contains(body, `data-status="`+string(status)+`">`+word+"<") || strings.Contains(body, ">"+string(status)+"<") {
				t.Errorf("%s: status not shown as %q", lang, word)
			}
		}
		bad := map[string]string{"from=yesterday": "day_invalid", "tz=Mars/Olympus": "time_zone_invalid",
			"status=lost": "mail_status_invalid", "from=2026-06-12&until=2026-06-11": "day_range_invalid"}
		for q, key := range bad {
			code, body := show(q + "&lang=ru")
			if want := cat.T("ru", key, nil); code != 422 || !strings.Contains(body, want) {
				t.Errorf("?%s: %d, want 422 with %q", q, code, want)
			}
		}
		if res, _ := h.browserAs(t, "rep@example.com").get("/admin/mail"); res.StatusCode != 403 && res.StatusCode != 404 {
			t.Errorf("a rep reads the mail log: %d", res.StatusCode)
		}
	})
}
