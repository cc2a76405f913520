package web

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/i18n"
	"rma/internal/mail"
	"rma/internal/order"
	"rma/internal/promise"
)

// TestEveryTemplateRendersInEveryLanguage renders each page with sample data
// for each role and language: no template fails at run time, and no page
// shows "<no value>", a template action or a message key.
func TestEveryTemplateRendersInEveryLanguage(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	due, ship, ret := now.AddDate(0, 0, 7), now.AddDate(0, 0, 30), now.AddDate(0, 0, 15)
	ctr := center.Center{Code: "BER", Name: "Berlin", Country: "DE", TimeZone: "Europe/Berlin",
		Address: []string{"Storkower Str. 140"}, Serves: []string{"DE"}}
	base := claim.Claim{ID: "01J", RMANumber: "RMA-7KQ4-M2XR", Coverage: coverage.AccidentalDamage, OrderNumber: "ORD-1",
		IMEI: "490154203237518", Description: "Dropped.", CenterCode: "BER", CreatedAt: now, UpdatedAt: now,
		ReviewDueAt: &due, ShipBy: &ship, ReceivedAt: &now, ReturnDueAt: &ret, Question: "Photo?", RejectReason: "other",
		Decision: "repair", Findings: "Board.", ReturnCarrier: "UPS", ReturnTracking: "1Z", IncidentDate: &now, Version: 3}
	ev := []claim.Event{{At: now, Action: "submit", To: claim.Submitted, ActorRole: account.Buyer},
		{At: now, Action: claim.RequestInfo, From: claim.Submitted, To: claim.InfoRequested, ActorRole: account.Rep, ActorName: "Rita", Note: "Photo?"}}
	o := order.Order{Number: "ORD-1", BuyerEmail: "b@example.com", BuyerName: "Иван Петров", CompletedAt: &now,
		Country: "DE", ProductName: "Phone", Category: "phone"}
	claimData := func(st claim.Status) claimPageData {
		c := base
		c.Status = st
		return claimPageData{View: claim.View{Claim: c, Events: ev, Center: ctr}, Overdue: []claim.Clock{claim.ReviewClock},
			ReviewPanel: claim.ReviewPanel{Order: &o, TermEnds: &ship, Earlier: []claim.Claim{base}}, SlipReady: true, Offered: everyAction(),
			RejectReasons: claim.RejectReasons, UnrepairedReasons: claim.UnrepairedReasons}
	}
	users := map[string]*account.User{"": nil}
	for _, r := range account.Roles {
		users[string(r)] = &account.User{ID: "u", Email: "u@example.com", Name: "U", Role: r, Language: "en", CenterCode: "BER"}
	}
	type sample struct {
		name string
		data any
	}
	samples := []sample{
		{"login", nil}, {"error", "Something."},
		{"my_claims", []claim.Claim{base}}, {"my_claims", []claim.Claim(nil)},
		{"new_claim", newClaimData{Order: "ORD-1", OrderCheck: claim.OrderCheck{ProductName: "Pixel", DeviceField: "imei",
			Coverages: []claim.Eligibility{
				{Coverage: coverage.ExtendedWarranty, Eligible: true, EndsAt: &ship},
				{Coverage: coverage.AccidentalDamage, Reason: "coverage_not_purchased"}}}, Any: true}},
		{"new_claim", newClaimData{Order: "ORD-2", OrderCheck: claim.OrderCheck{ProductName: "ThinkPad", DeviceField: "serial_number",
			Coverages: []claim.Eligibility{{Coverage: coverage.ExtendedWarranty, Eligible: true, EndsAt: &ship}}}, Any: true}},
		{"new_claim", newClaimData{Order: "ORD-9", NotFound: "Not found."}},
		{"new_claim", newClaimData{}},
		{"track", trackData{}}, {"track", trackData{Found: true, RMA: base.RMANumber, Status: claim.Received, Updated: now, Steps: ev}},
		{"queue", queueData{Items: []queueItem{{Claim: base, SLA: "overdue"}}, Statuses: claim.Statuses,
			Coverages: coverage.Kinds, Centers: []center.Center{ctr}}},
		{"scan", scanData{Result: &scanResult{OK: true, RMA: base.RMANumber, Headline: "OK", Detail: "D"},
			Recent: []claim.Receipt{{RMANumber: base.RMANumber, At: now}}}},
		{"scan", scanData{Result: &scanResult{Headline: "No", Detail: "D"}}},
		{"work", workData{Items: []queueItem{{Claim: base, SLA: "due_today", DaysLeft: 1}, {Claim: base, SLA: "overdue", DaysLate: 2}},
			Next: "/work?after=01J0000000000000000000000A"}}, {"work", workData{}},
		{"dashboard", dashboardData{Promises: promiseRows([]promise.Tally{{Kind: promise.Answer, Kept: 9, Broken: 1},
			{Kind: promise.Return}}), Bars: []bar{{Status: claim.Submitted, Count: 3, Width: 30}},
			Centers: []string{"BER"}, Rows: []countRow{{Status: claim.Submitted, Counts: []int{3}}},
			Overdue: []overdueItem{{Claim: base, Clocks: []claim.Clock{claim.TurnaroundClock}}}}},
		{"centers", newCentersData([]center.Center{ctr}, nil)}, {"centers", centersData{}},
		{"users", []account.User{*users["technician"]}},
		{"orders_import", (*importData)(nil)}, {"orders_import", &importData{Refused: []refusedLine{{Line: 3, Problems: []string{"bad", "worse"}}}}},
		{"orders_import", &importData{Imported: 2}},
		{"mailbox", mailboxData{Mail: []mail.Record{{Message: mail.Message{To: "b@example.com", Subject: "S", Text: "T"}, CreatedAt: now}},
			Dead: []claim.JobRecord{{Job: claim.Job{ID: "01J", Kind: claim.JobNotify}, RMANumber: base.RMANumber, Attempts: 1,
				LastError: "unknown job"}}}},
		{"mailbox", mailboxData{}},
		{"signup", signUpData{}}, {"signup", signUpData{Sent: true}}, {"signup_verify", signUpData{Token: "t"}},
		{"reset", signUpData{}}, {"reset", signUpData{Sent: true}}, {"reset_confirm", signUpData{Token: "t"}},
	}
	for _, st := range claim.Statuses {
		samples = append(samples, sample{"claim", claimData(st)})
	}
	keyLike := regexp.MustCompile(`\b[a-z]+(_[a-z]+)*\.[a-z_]+\b`)
	count := 0
	for _, lang := range i18n.Languages {
		for role, u := range users {
			for _, s := range samples {
				p := page{Lang: lang, cat: cat, User: u, CSRF: "tok", Path: "/x", Title: "T", Loc: time.UTC, Data: s.data,
					Errors: map[string]string{"_": "E", "imei": "E"}, Form: map[string]string{"imei": "1"}}
				var buf bytes.Buffer
				if err := pages.ExecuteTemplate(&buf, s.name, p); err != nil {
					t.Fatalf("%s as %q in %s: %v", s.name, role, lang, err)
				}
				out := buf.String()
				if strings.Contains(out, "<no value>") || strings.Contains(out, "{{") {
					t.Errorf("%s as %q in %s shows a template gap", s.name, role, lang)
				}
				for _, m := range keyLike.FindAllString(out, -1) {
					if cat.Has(m) {
						t.Errorf("%s as %q in %s shows the key %q", s.name, role, lang, m)
					}
				}
				count++
			}
		}
	}
	if count < 300 {
		t.Errorf("rendered only %d pages", count)
	}
}

// everyAction offers every catalogue action, so that every form renders.
func everyAction() map[string]bool {
	out := map[string]bool{}
	for _, a := range claimActions {
		out[a.Path] = true
	}
	return out
}

// TestRussianDatesAfterUntil: a date after "до" takes the genitive weekday,
// and no date ends in a doubled full stop.
func TestRussianDatesAfterUntil(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	p := page{Lang: "ru", cat: cat, Loc: time.UTC}
	thursday := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	if got := p.Tf("claim.covered_until", "Date", p.Until(thursday)); got != "действует до четверга, 3 декабря 2026" {
		t.Errorf("covered until: %q", got)
	}
	if got := p.Date(thursday); got != "четверг, 3 декабря 2026" {
		t.Errorf("a plain date: %q", got)
	}
	es := page{Lang: "es", cat: cat, Loc: time.UTC}
	if got := es.Until(thursday); got != "jueves 3 de diciembre de 2026" {
		t.Errorf("es: %q", got)
	}
}
