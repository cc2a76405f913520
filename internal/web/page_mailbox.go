package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/claim"
	"rma/internal/mail"
)

// mailboxData is the mailbox page: the kept messages that match the
// filter, and the jobs given up.
type mailboxData struct {
	Mail     []mail.Record
	Dead     []claim.JobRecord
	Statuses []mail.Status
	Zones    []string // the centers' time zones, offered for the filter
	Zone     string   // the zone the page's times are in
	Filtered bool     // a filter narrows the list
}

// mailFilter reads the mailbox's filter from the query: a part of the
// recipient's address, an RMA number, a status, and a range of days (both
// included) in the time zone tz. Every unreadable field is named.
func mailFilter(c *gin.Context, defaultZone string) (mail.Filter, *time.Location, map[string]string, map[string]string) {
	form := map[string]string{}
	for _, k := range []string{"to", "rma", "status", "from", "until", "tz"} {
		form[k] = strings.TrimSpace(c.Query(k))
	}
	bad := map[string]string{}
	if form["tz"] == "" {
		form["tz"] = defaultZone
	}
	loc, err := time.LoadLocation(form["tz"])
	if err != nil || form["tz"] == "Local" {
		bad["tz"], loc = "time_zone_invalid", time.UTC
	}
	f := mail.Filter{ToPart: form["to"], RMANumber: strings.ToUpper(form["rma"]), Status: mail.Status(form["status"]), Limit: 100}
	if f.Status != "" && !slices.Contains(mail.Statuses, f.Status) {
		bad["status"] = "mail_status_invalid"
	}
	if len(f.ToPart) > 254 {
		bad["to"] = "field_too_long"
	}
	if len(f.RMANumber) > 32 {
		bad["rma"] = "field_too_long"
	}
	day := func(field string) time.Time {
		if form[field] == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", form[field], loc)
		if err != nil {
			bad[field] = "day_invalid"
		}
		return t
	}
	f.From = day("from")
	if until := day("until"); !until.IsZero() {
		f.Until = until.AddDate(0, 0, 1) // the whole last day
		if !f.From.IsZero() && !f.Until.After(f.From) {
			bad["until"] = "day_range_invalid"
		}
	}
	return f, loc, form, bad
}

// mailbox shows the messages the service sent or holds, filtered, with
// their times in the zone the viewer chose (by default their center's,
// else UTC), and the jobs given up with their reasons and a retry button.
func (s *Server) mailbox(c *gin.Context) {
	centers, err := s.Centers.List(ctx(c))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	d := mailboxData{Statuses: mail.Statuses}
	zone := "UTC"
	for _, ctr := range centers {
		if !slices.Contains(d.Zones, ctr.TimeZone) {
			d.Zones = append(d.Zones, ctr.TimeZone)
		}
		if u, ok := signedIn(c); ok && u.CenterCode == ctr.Code {
			zone = ctr.TimeZone
		}
	}
	slices.Sort(d.Zones)
	f, loc, form, bad := mailFilter(c, zone)
	p := s.newPage(c, "nav.mail")
	p.Form, p.Loc = form, loc
	status := http.StatusOK
	if len(bad) > 0 {
		status, p.Errors = http.StatusUnprocessableEntity, map[string]string{}
		for field, reason := range bad {
			p.Errors[field] = p.T(reason)
		}
	} else if d.Mail, err = s.Mailer.List(ctx(c), f); err != nil {
		s.pageFail(c, err)
		return
	}
	d.Zone = loc.String()
	d.Filtered = form["to"] != "" || form["rma"] != "" || form["status"] != "" || form["from"] != "" || form["until"] != ""
	if d.Dead, err = s.JobAdmin.DeadJobs(ctx(c), actor(c), "", 100); err != nil {
		s.pageFail(c, err)
		return
	}
	p.Data = d
	s.render(c, status, "mailbox", p)
}
