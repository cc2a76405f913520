// Package sla computes the deadlines the service promises: the review clock
// in working days of a service center's country (public holidays from
// github.com/rickar/cal), and the calendar-day clocks.
package sla

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
)

// national holds each country's nationwide public holidays. Regional
// holidays are left out: a center works on a region's holiday unless its
// country observes it nationwide.
func national() map[string][]*cal.Holiday {
	return map[string][]*cal.Holiday{
		"AT": at.Holidays, "BE": be.Holidays, "BG": bg.Holidays, "CH": ch.Holidays,
		"CZ": cz.Holidays, "DE": de.Holidays, "DK": dk.Holidays, "ES": es.Holidays,
		"FR": fr.Holidays, "GB": gb.Holidays, "GR": gr.Holidays, "HR": hr.Holidays,
		"IE": ie.Holidays, "IT": it.Holidays, "LT": lt.Holidays, "LV": lv.Holidays,
		"NL": nl.Holidays, "NO": no.Holidays, "PL": pl.Holidays, "RO": ro.Holidays,
		"SE": se.Holidays, "SI": si.Holidays, "SK": sk.Holidays,
	}
}

// Calendars gives each country's working-day calendar. Build it once at
// start; it is read-only afterwards (no holiday cache) and safe to share.
type Calendars struct {
	byCountry map[string]*cal.BusinessCalendar
	weekends  *cal.BusinessCalendar
}

// NewCalendars builds the calendars of every country the library knows.
func NewCalendars() *Calendars {
	c := &Calendars{byCountry: map[string]*cal.BusinessCalendar{}, weekends: cal.NewBusinessCalendar()}
	for country, hols := range national() {
		bc := cal.NewBusinessCalendar()
		bc.AddHoliday(hols...)
		c.byCountry[country] = bc
	}
	return c
}

// HasHolidays reports whether the country's public holidays are known; a
// country without them counts weekends only.
func (c *Calendars) HasHolidays(country string) bool {
	_, ok := c.byCountry[country]
	return ok
}

func (c *Calendars) of(country string) *cal.BusinessCalendar {
	if bc, ok := c.byCountry[country]; ok {
		return bc
	}
	return c.weekends
}

// AddWorkdays returns the end of the n-th working day after the day of
// start, in loc: a claim filed on Friday evening with n=1 is due at the end
// of Monday (or of the next working day after a holiday).
func (c *Calendars) AddWorkdays(country string, loc *time.Location, start time.Time, n int) time.Time {
	local := start.In(loc)
	// Noon keeps day arithmetic clear of daylight-saving shifts.
	day := time.Date(local.Year(), local.Month(), local.Day(), 12, 0, 0, 0, loc)
	bc := c.of(country)
	for done := 0; done < n; {
		day = day.AddDate(0, 0, 1)
		if bc.IsWorkday(day) {
			done++
		}
	}
	return endOfDay(day)
}

// WorkdaysLeft counts the working days after the day of from up to and
// including the day of due (0 when due is on from's day or earlier).
func (c *Calendars) WorkdaysLeft(country string, loc *time.Location, from, due time.Time) int {
	f, d := from.In(loc), due.In(loc)
	day := time.Date(f.Year(), f.Month(), f.Day(), 12, 0, 0, 0, loc)
	last := time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, loc)
	bc := c.of(country)
	n := 0
	for day = day.AddDate(0, 0, 1); !day.After(last); day = day.AddDate(0, 0, 1) {
		if bc.IsWorkday(day) {
			n++
		}
	}
	return n
}

func endOfDay(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, day.Location()).UTC()
}
