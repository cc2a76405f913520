package i18n

import (
	"fmt"
	"time"
)

// Date writes a day in lang ("Tuesday 2 December 2026", "вторник,
// 2 декабря 2026", "martes 2 de diciembre de 2026"), as it is in loc (UTC
// when loc is nil). Pages, slips and e-mails share it, so a date reads the
// same everywhere.
func (c *Catalog) Date(lang string, t time.Time, loc *time.Location) string {
	return c.day(lang, t, loc, "date.long", "weekday.")
}

// Until writes a day as it reads after "by" / "до" / "antes del": Russian
// puts the weekday in the genitive ("до четверга, 3 декабря 2026").
func (c *Catalog) Until(lang string, t time.Time, loc *time.Location) string {
	return c.day(lang, t, loc, "date.until", "weekday_until.")
}

func (c *Catalog) day(lang string, t time.Time, loc *time.Location, form, weekday string) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return c.T(lang, form, map[string]any{"Weekday": c.T(lang, fmt.Sprint(weekday, int(t.Weekday())), nil),
		"Day": t.Day(), "Month": c.T(lang, fmt.Sprint("month.", int(t.Month())), nil), "Year": t.Year()})
}
