package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/bench"
	"rma/internal/carrier"
	"rma/internal/claim"
	"rma/internal/evidence"
	"rma/internal/order"
)

// claimPageData is a claim's page: the claim and what its reader needs
// beside it.
type claimPageData struct {
	claim.View
	Overdue           []claim.Clock
	Order             *order.Order
	TermEnds          *time.Time
	Earlier           []claim.Claim
	SlipReady         bool
	CanCancel         bool
	RejectReasons     []string
	UnrepairedReasons []string
	// The carriers' tracking pages of both legs ("" when unknown), and
	// whether the return label can be printed.
	InboundLink, ReturnLink string
	ReturnLabel             bool
	// The bench: the device's intake check, its files, the conditions a
	// checklist offers.
	Intake      *bench.IntakeCheck
	Attachments []evidence.Attachment
	Conditions  []string
	// Repeat: the device has another claim filed within 12 months of this
	// one.
	Repeat bool
}

func (s *Server) claimPage(c *gin.Context, status int, p page, rma string) {
	v, err := s.Claims.Get(ctx(c), actor(c), rma)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	d := s.claimData(v)
	if u := user(c); u.Role == account.Rep || u.Role == account.Admin || u.Role == account.Technician {
		if o, err := s.Reports.Order(ctx(c), v.Claim.OrderNumber); err == nil {
			d.Order = &o
			if o.CompletedAt != nil {
				if ends, ok := s.Claims.CoverageEnds(v.Claim.Coverage, *o.CompletedAt); ok {
					d.TermEnds = &ends
				}
			}
		}
		earlier, err := s.Claims.List(ctx(c), actor(c), claim.Filter{IMEI: v.Claim.IMEI, Limit: 50})
		if err != nil {
			s.pageFail(c, err)
			return
		}
		for _, e := range earlier {
			if e.ID != v.Claim.ID {
				d.Earlier = append(d.Earlier, e)
				if gap := v.Claim.CreatedAt.Sub(e.CreatedAt); gap < 365*24*time.Hour && gap > -365*24*time.Hour {
					d.Repeat = true
				}
			}
		}
	}
	if d.Intake, err = s.Bench.Intake(ctx(c), v.Claim.ID); err != nil {
		s.pageFail(c, err)
		return
	}
	if d.Attachments, err = s.Evidence.List(ctx(c), actor(c), v.Claim.RMANumber); err != nil {
		s.pageFail(c, err)
		return
	}
	d.Conditions = bench.Conditions
	p.Loc = v.Center.Location()
	p.Data = d
	s.render(c, status, "claim", p)
}

// claimData is what both the claim page and its live fragment show.
func (s *Server) claimData(v claim.View) claimPageData {
	st := v.Claim.Status
	return claimPageData{View: v, Overdue: v.Claim.Overdue(s.Claims.Now()), RejectReasons: claim.RejectReasons,
		UnrepairedReasons: claim.UnrepairedReasons,
		SlipReady:         st.SlipAvailable(),
		InboundLink:       carrier.Link(v.Claim.InboundCarrier, v.Claim.InboundTracking),
		ReturnLink:        carrier.Link(v.Claim.ReturnCarrier, v.Claim.ReturnTracking),
		ReturnLabel:       st == claim.ReadyToShip || st == claim.Shipped,
		CanCancel:         slices.Contains(claim.Transitions[claim.Cancel].From, st)}
}

// showClaimPage is one claim for every role: the timeline and deadlines,
// and the actions the reader may take.
func (s *Server) showClaimPage(c *gin.Context) {
	s.claimPage(c, http.StatusOK, s.newPage(c, "claim.title"), c.Param("rma"))
}

// liveClaim is the claim page's status and timeline alone: the page polls
// it so that a buyer sees each step without reloading.
func (s *Server) liveClaim(c *gin.Context) {
	v, err := s.Claims.Get(ctx(c), actor(c), c.Param("rma"))
	if err != nil {
		c.Status(statusOfErr(err))
		return
	}
	p := s.newPage(c, "claim.title")
	p.Loc = v.Center.Location()
	p.Data = s.claimData(v)
	c.Header("Claim-Version", itoa(v.Claim.Version))
	s.render(c, http.StatusOK, "claim_live", p)
}

// claimAction runs one action of a claim's page form and comes back to the
// page, with the result or with the form's problems.
func (s *Server) claimAction(c *gin.Context) {
	rma, action, a := c.Param("rma"), c.Param("action"), actor(c)
	f := c.PostForm
	var err error
	switch action {
	case "answer":
		_, err = s.Claims.Answer(ctx(c), a, rma, f("answer"))
	case "cancel":
		_, err = s.Claims.Cancel(ctx(c), a, rma, f("reason"))
	case "sent":
		_, err = s.Claims.MarkSent(ctx(c), a, rma, f("carrier"), f("tracking_number"))
	case "approve":
		_, err = s.Claims.Approve(ctx(c), a, rma, f("note"))
	case "reject":
		_, err = s.Claims.Reject(ctx(c), a, rma, f("reason_code"), f("note"))
	case "request-info":
		_, err = s.Claims.RequestInfo(ctx(c), a, rma, f("question"))
	case "start-diagnosis":
		_, err = s.Claims.StartDiagnosis(ctx(c), a, rma)
	case "diagnosis":
		_, err = s.Claims.Decide(ctx(c), a, rma, claim.Diagnosis{Findings: f("findings"), Decision: f("decision"),
			ReplacementIMEI: f("replacement_imei"), ReasonCode: f("reason_code")})
	case "ready":
		_, err = s.Claims.MarkReady(ctx(c), a, rma, f("note"))
	case "return-shipment":
		_, err = s.Claims.ShipBack(ctx(c), a, rma, f("carrier"), f("tracking_number"))
	case "delivered":
		_, err = s.Claims.Deliver(ctx(c), a, rma)
	default:
		s.pageError(c, http.StatusNotFound, "not_found")
		return
	}
	if err != nil {
		status := statusOfErr(err)
		if status == http.StatusNotFound || status >= 500 {
			s.pageFail(c, err)
			return
		}
		s.claimPage(c, status, s.withErrors(s.newPage(c, "claim.title"), c, err), rma)
		return
	}
	c.Redirect(http.StatusSeeOther, "/claims/"+rma+"?done="+action)
}
