package web

import (
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/desk"
	"rma/internal/fault"
	"rma/internal/shipping"
)

// queueItem is a claim in a queue with its deadline badge.
type queueItem struct {
	Claim    claim.Claim
	SLA      string // on_time, due_soon, due_today, overdue
	DaysLeft int
	// DaysLate counts the days past the deadline (DaysLeft is then 0).
	DaysLate int
	// The workbench's columns: the buyer's country, files, repeat device,
	// and the claim's age in days.
	Facts desk.Facts
	Age   int
}

type queueData struct {
	// Tab: "us" (waiting on us) or "buyer" (waiting on the buyer).
	Tab                                  string
	Items                                []queueItem
	Q, Status, Coverage, Center, Country string
	Statuses                             []claim.Status
	Coverages                            []coverage.Kind
	Centers                              []center.Center
}

// sla says how a deadline stands: passed, ends within a day, within three
// days, or further ahead.
func sla(due, now time.Time) string {
	switch d := due.Sub(now); {
	case d < 0:
		return "overdue"
	case d < 24*time.Hour:
		return "due_today"
	case d < 3*24*time.Hour+time.Hour:
		return "due_soon"
	}
	return "on_time"
}

// reviewQueue is the reps' queue: claims waiting for an answer, soonest
// deadline first, with filters and a search.
func (s *Server) reviewQueue(c *gin.Context) {
	d := queueData{Q: strings.TrimSpace(c.Query("q")), Status: c.Query("status"), Coverage: c.Query("coverage"),
		Center: strings.ToUpper(c.Query("center")), Country: strings.ToUpper(strings.TrimSpace(c.Query("country"))),
		Statuses: claim.Statuses, Coverages: coverage.Kinds, Tab: queueTab(c.Query("tab"))}
	f := claim.Filter{Query: d.Q, Coverage: coverage.Kind(d.Coverage), Center: d.Center, Country: d.Country,
		Order: "review_due", Limit: 200}
	if d.Status != "" {
		f.Status = []claim.Status{claim.Status(d.Status)}
	} else if d.Q == "" {
		f.Status = tabStatuses[d.Tab]
	}
	claims, err := s.Claims.List(ctx(c), actor(c), f)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	if d.Centers, err = s.Centers.List(ctx(c)); err != nil {
		s.pageFail(c, err)
		return
	}
	if d.Items, err = s.queueItems(c, claims); err != nil {
		s.pageFail(c, err)
		return
	}
	p := s.newPage(c, "nav.queue")
	p.Data = d
	s.render(c, http.StatusOK, "queue", p)
}

// workPage is how many devices the work list shows at once.
const workPage = 200

// workData is a page of the work list and the link to the next one.
type workData struct {
	Items []queueItem
	Next  string
}

// workQueue is a center's devices, soonest return date first, a page at a
// time: the next page starts after the last device shown (its return date
// and id), so that it reads an index range whatever the center's backlog.
func (s *Server) workQueue(c *gin.Context) {
	f := claim.Filter{Order: "return_due", Limit: workPage, Status: claim.AtCenterStatuses}
	if err := keysetCursor(c, &f); err != nil {
		s.pageFail(c, err)
		return
	}
	claims, err := s.Claims.List(ctx(c), actor(c), f)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	now := s.Claims.Now()
	var d workData
	for _, cl := range claims {
		item := queueItem{Claim: cl, SLA: "on_time"}
		if cl.ReturnDueAt != nil {
			item.SLA = sla(*cl.ReturnDueAt, now)
			item.DaysLeft = int(math.Ceil(cl.ReturnDueAt.Sub(now).Hours() / 24))
			if item.DaysLeft < 0 {
				item.DaysLate, item.DaysLeft = -item.DaysLeft, 0
			}
		}
		d.Items = append(d.Items, item)
	}
	if len(claims) == workPage {
		last := claims[len(claims)-1]
		d.Next = nextPageLink(c, last.ID, last.ReturnDueAt)
	}
	p := s.newPage(c, "nav.work")
	p.Data = d
	s.render(c, http.StatusOK, "work", p)
}

// keysetCursor reads a deadline-ordered page's cursor from the query:
// after, the id of the last claim shown, and at, its deadline (RFC 3339;
// absent when it had none).
func keysetCursor(c *gin.Context, f *claim.Filter) error {
	after, at := c.Query("after"), c.Query("at")
	if after == "" && at == "" {
		return nil
	}
	if !validID(after) {
		return fault.Field("cursor", "cursor_invalid")
	}
	f.After = after
	if at != "" {
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return fault.Field("cursor", "cursor_invalid")
		}
		f.AfterAt = &t
	}
	return nil
}

// nextPageLink is the page's own address with the cursor of the claim
// shown last.
func nextPageLink(c *gin.Context, id string, at *time.Time) string {
	q := c.Request.URL.Query()
	q.Set("after", id)
	q.Del("at")
	if at != nil {
		q.Set("at", at.UTC().Format(time.RFC3339Nano))
	}
	return c.Request.URL.Path + "?" + q.Encode()
}

type scanResult struct {
	OK               bool
	Repeat           bool // received before: nothing changed
	RMA              string
	Headline, Detail string
	Card             *deviceCard
}

// deviceCard is what the technician needs to see of a device just taken in.
type deviceCard struct {
	Product, DeviceID, Description string
	ReturnDue                      *time.Time
}

type scanData struct {
	Result *scanResult
	Recent []claim.Receipt
}

func (s *Server) scanPage(c *gin.Context, status int, result *scanResult) {
	recent, err := s.Reports.RecentReceipts(ctx(c), user(c).ID, 10)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	p := s.newPage(c, "nav.scan")
	p.Data = scanData{Result: result, Recent: recent}
	s.render(c, status, "scan", p)
}

// scanStation is built for a barcode scanner: a focused field that submits
// on Enter and is focused again after every scan.
func (s *Server) scanStation(c *gin.Context) { s.scanPage(c, http.StatusOK, nil) }

// scanDevice takes in the device whose label was scanned and says loudly
// whether it worked.
func (s *Server) scanDevice(c *gin.Context) {
	lang := language(c)
	v, first, err := s.Shipping.Scan(ctx(c), actor(c), shipping.ScanInput{Code: c.PostForm("code"),
		Device: claim.Device{IMEI: c.PostForm("imei"), Serial: c.PostForm("serial_number")}})
	if err != nil {
		fe, ok := fault.As(err)
		if !ok {
			s.pageFail(c, err)
			return
		}
		detail := s.Catalog.T(lang, fe.Reason, map[string]any{"Status": s.Catalog.T(lang, "status."+toString(fe.Args["Status"]), nil)})
		s.scanPage(c, statusOf[fe.Kind], &scanResult{Headline: s.Catalog.T(lang, "scan.refused", nil), Detail: detail})
		return
	}
	r := &scanResult{OK: true, RMA: v.Claim.RMANumber, Headline: s.Catalog.T(lang, "scan.received", nil),
		Detail: s.Catalog.T(lang, "scan.return_by", map[string]any{"Date": s.newPage(c, "").Date(v.Claim.ReturnDueAt)})}
	if !first {
		r.Headline, r.Repeat = s.Catalog.T(lang, "scan.already", nil), true
	}
	r.Card = &deviceCard{Product: s.Shipping.Product(ctx(c), v.Claim.OrderNumber), DeviceID: v.Claim.IMEI,
		Description: v.Claim.Description, ReturnDue: v.Claim.ReturnDueAt}
	s.scanPage(c, http.StatusOK, r)
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}
