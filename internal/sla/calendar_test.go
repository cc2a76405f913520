package sla

import (
	"testing"
	"time"
)

func local(t *testing.T, zone, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestReviewDueSkipsWeekendsAndPublicHolidays(t *testing.T) {
	c := NewCalendars()
	cases := []struct {
		name, country, zone, submitted string
		days                           int
		want                           string // local end of day
	}{
		// Friday 22 May 2026; Monday 25 May is Whit Monday in Germany.
		{"DE Friday before Whit Monday, 5 days", "DE", "Europe/Berlin", "2026-05-22 16:30", 5, "2026-06-01"},
		{"DE Friday before Whit Monday, 2 days", "DE", "Europe/Berlin", "2026-05-22 16:30", 2, "2026-05-27"},
		// Friday 4 December 2026; Tuesday 8 December is the Immaculate Conception in Spain.
		{"ES Friday before the Immaculate Conception", "ES", "Europe/Madrid", "2026-12-04 10:00", 5, "2026-12-14"},
		// The same Friday in Germany has no holiday that week.
		{"DE same Friday, no holiday", "DE", "Europe/Berlin", "2026-12-04 10:00", 5, "2026-12-11"},
		// Christmas: Thursday 24 December 2026; 25 and 26 are holidays in Germany.
		{"DE Christmas Eve", "DE", "Europe/Berlin", "2026-12-24 09:00", 2, "2026-12-29"},
		// A country without known holidays counts weekends only.
		{"PT weekends only", "PT", "Europe/Lisbon", "2026-12-04 10:00", 5, "2026-12-11"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loc, _ := time.LoadLocation(tc.zone)
			got := c.AddWorkdays(tc.country, loc, local(t, tc.zone, tc.submitted), tc.days)
			want := local(t, tc.zone, tc.want+" 23:59").Add(59 * time.Second).UTC()
			if !got.Equal(want) {
				t.Errorf("due %s, want %s", got.In(loc), want.In(loc))
			}
			if got.Location() != time.UTC {
				t.Errorf("due is not in UTC: %v", got.Location())
			}
		})
	}
}

func TestSubmittedLateEveningCountsFromTheLocalDay(t *testing.T) {
	c := NewCalendars()
	loc, _ := time.LoadLocation("Europe/Berlin")
	// 23:30 UTC on Thursday is already Friday in Berlin.
	submitted := time.Date(2026, 5, 21, 23, 30, 0, 0, time.UTC)
	got := c.AddWorkdays("DE", loc, submitted, 1).In(loc)
	if got.Format("2006-01-02") != "2026-05-26" { // Friday -> (weekend, Whit Monday) -> Tuesday
		t.Errorf("due %s", got)
	}
}

func TestWorkdaysLeft(t *testing.T) {
	c := NewCalendars()
	loc, _ := time.LoadLocation("Europe/Berlin")
	from := local(t, "Europe/Berlin", "2026-05-22 10:00")
	due := c.AddWorkdays("DE", loc, from, 5)
	if n := c.WorkdaysLeft("DE", loc, from, due); n != 5 {
		t.Errorf("left %d, want 5", n)
	}
	if n := c.WorkdaysLeft("DE", loc, due, from); n != 0 {
		t.Errorf("left after due %d, want 0", n)
	}
	if !c.HasHolidays("DE") || c.HasHolidays("PT") {
		t.Error("HasHolidays wrong")
	}
}
