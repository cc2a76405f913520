package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/promise"
)

type bar struct {
	Status          claim.Status
	Count           int
	Y, Width, TextX int
}

type countRow struct {
	Status claim.Status
	Counts []int
}

type overdueItem struct {
	Claim  claim.Claim
	Clocks []claim.Clock
}

type dashboardData struct {
	// Promises are the person-facing promises of the last 30 days.
	Promises    []promiseRow
	Bars        []bar
	ChartHeight int
	Centers     []string
	Rows        []countRow
	Overdue     []overdueItem
	PastDue     int  // open promises past their date, from the ledger
	PastDueMore bool // more than PastDue of them
}

// promiseRow is one kind's line of the compliance figures.
type promiseRow struct {
	promise.Tally
	Rate string // "93%", or "—" when nothing was due
}

// promiseRows are the tallies of the claims' promises (the buyer's ship-by
// promise is theirs, not ours, and shows too), with their rates.
func promiseRows(ts []promise.Tally) []promiseRow {
	var out []promiseRow
	for _, t := range ts {
		if t.Kind.Dispute() {
			continue
		}
		r := promiseRow{Tally: t, Rate: "—"}
		if share, ok := t.Compliance(); ok {
			r.Rate = fmt.Sprintf("%.0f%%", 100*share)
		}
		out = append(out, r)
	}
	return out
}

// dashboard: open claims per status and center, the two promises' record
// over the last 30 days, and every claim past a deadline.
func (s *Server) dashboard(c *gin.Context) {
	r, err := s.Reports.Dashboard(ctx(c), actor(c), s.Claims.Now().AddDate(0, 0, -30))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	d := dashboardData{Promises: promiseRows(r.Promises), PastDue: r.PastDue, PastDueMore: r.PastDueMore}
	counts, overdue, now := r.Open, r.Overdue, r.Now
	byStatus := map[claim.Status]map[string]int{}
	for _, sc := range counts {
		if byStatus[sc.Status] == nil {
			byStatus[sc.Status] = map[string]int{}
		}
		byStatus[sc.Status][sc.CenterCode] += sc.N
		if !slices.Contains(d.Centers, sc.CenterCode) {
			d.Centers = append(d.Centers, sc.CenterCode)
		}
	}
	slices.Sort(d.Centers)
	most := 1
	for _, st := range claim.Statuses {
		if row, ok := byStatus[st]; ok {
			r := countRow{Status: st}
			total := 0
			for _, ctr := range d.Centers {
				r.Counts = append(r.Counts, row[ctr])
				total += row[ctr]
			}
			d.Rows = append(d.Rows, r)
			d.Bars = append(d.Bars, bar{Status: st, Count: total})
			most = max(most, total)
		}
	}
	for i := range d.Bars {
		d.Bars[i].Y = i * 24
		d.Bars[i].Width = max(1, d.Bars[i].Count*360/most)
		d.Bars[i].TextX = 228 + d.Bars[i].Width
	}
	d.ChartHeight = max(24, len(d.Bars)*24)
	for _, cl := range overdue {
		d.Overdue = append(d.Overdue, overdueItem{Claim: cl, Clocks: cl.Overdue(now)})
	}
	p := s.newPage(c, "nav.dashboard")
	p.Data = d
	s.render(c, http.StatusOK, "dashboard", p)
}

func (s *Server) centersPage(c *gin.Context, status int, p page) {
	cs, err := s.Centers.List(ctx(c))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	users, err := s.Accounts.List(ctx(c))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	p.Data = newCentersData(cs, users)
	s.render(c, status, "centers", p)
}

func (s *Server) showCenters(c *gin.Context) {
	s.centersPage(c, http.StatusOK, s.newPage(c, "nav.centers"))
}

// saveCenter creates or updates a center from the form.
func (s *Server) saveCenter(c *gin.Context) {
	ctr := center.Center{Code: c.PostForm("code"), Name: c.PostForm("name"), Country: c.PostForm("country"),
		TimeZone: c.PostForm("time_zone"), Address: strings.Split(c.PostForm("address"), "\n"),
		Serves: strings.FieldsFunc(c.PostForm("serves"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' })}
	if _, _, err := s.Centers.Put(ctx(c), ctr); err != nil {
		s.centersPage(c, statusOfErr(err), s.withErrors(s.newPage(c, "nav.centers"), c, err))
		return
	}
	s.Logger.Info("center saved", "by", user(c).ID, "center", ctr.Code)
	c.Redirect(http.StatusSeeOther, "/admin/centers?done=center_saved")
}

func (s *Server) usersPage(c *gin.Context, status int, p page) {
	users, err := s.Accounts.List(ctx(c))
	if err != nil {
		s.pageFail(c, err)
		return
	}
	p.Data = users
	s.render(c, status, "users", p)
}

func (s *Server) showUsers(c *gin.Context) { s.usersPage(c, http.StatusOK, s.newPage(c, "nav.users")) }

// createUserPage creates a staff (or buyer) account from the form.
func (s *Server) createUserPage(c *gin.Context) {
	u, err := s.Accounts.Create(ctx(c), account.NewUser{Email: c.PostForm("email"), Name: c.PostForm("name"),
		Password: c.PostForm("password"), Role: account.Role(c.PostForm("role")), Language: c.PostForm("language"),
		CenterCode: c.PostForm("center_code")})
	if err != nil {
		s.usersPage(c, statusOfErr(err), s.withErrors(s.newPage(c, "nav.users"), c, err))
		return
	}
	s.Logger.Info("user created", "by", user(c).ID, "user", u.ID, "role", u.Role)
	c.Redirect(http.StatusSeeOther, "/admin/users?done=user_created")
}

// userStandingPage suspends (revoking every session and token at once) or
// reactivates an account from the users page.
func (s *Server) userStandingPage(c *gin.Context) {
	st := map[string]account.Status{"suspend": account.Suspended, "activate": account.Active}[c.Param("action")]
	u, err := s.Accounts.SetStanding(ctx(c), actor(c), c.Param("id"), st)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	s.Logger.Info("account standing changed", "log", "audit", "by", user(c).ID, "user", u.ID, "status", string(st),
		"request_id", c.GetString(keyRequestID))
	c.Redirect(http.StatusSeeOther, "/admin/users?done=user_"+string(st))
}
