package web

import (
	"time"

	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"

	"rma/internal/account"
	"rma/internal/bench"
	"rma/internal/carrier"
	"rma/internal/claim"
	"rma/internal/desk"
	"rma/internal/evidence"
)

// claimPageData is a claim's page: the claim and what its reader needs
// beside it.
type claimPageData struct {
	claim.View
	// ReviewPanel is filled for staff: the order, earlier claims, repeats.
	claim.ReviewPanel
	Overdue   []claim.Clock
	SlipReady bool
	// Offered holds the paths of the catalogue's actions the reader may
	// take now: the buttons the page shows.
	Offered           map[string]bool
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
	// Journey is the stepper and the "what to do now" card; Public is
	// false: the claim page offers the card's forms.
	Journey journey
	Public  bool
	// Notes are the staff's internal notes (never filled for a buyer);
	// Replies the saved replies in the buyer's language (reps, admins).
	Notes   []desk.Note
	Replies []desk.Reply
	// Hold is why the return promise waits, and what the buyer can do.
	Hold *holdJSON
	// LowStock: parts this claim used that its center now keeps at or
	// below their warning level (staff only).
	LowStock []bench.Stock
}

func (s *Server) claimPage(c *gin.Context, status int, p page, rma string) {
	v, err := s.Claims.Get(ctx(c), actor(c), rma)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	d, err := s.fullClaimData(c, v)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	p.Loc = v.Center.Location()
	d.Hold = s.hold(v.Claim, p.Lang, func(t *time.Time) string { return p.Date(t) })
	if d.LowStock, err = s.Bench.LowStock(ctx(c), actor(c), v.Claim); err != nil {
		s.pageFail(c, err)
		return
	}
	p.Data = d
	s.render(c, status, "claim", p)
}

// fullClaimData is everything the claim page shows its reader, its live
// fragment included: the panels staff decide in are part of what the page
// refreshes, so they come back when the buyer answers.
func (s *Server) fullClaimData(c *gin.Context, v claim.View) (claimPageData, error) {
	var err error
	u := user(c)
	d := s.claimData(v, u.Role)
	if u.Role == account.Rep || u.Role == account.Admin || u.Role == account.Technician {
		if d.ReviewPanel, err = s.Claims.Panel(ctx(c), actor(c), v); err != nil {
			return d, err
		}
		if d.Notes, err = s.Desk.Notes(ctx(c), actor(c), v.Claim.RMANumber); err != nil {
			return d, err
		}
	}
	if u.Role == account.Rep || u.Role == account.Admin {
		if d.Replies, err = s.Desk.Replies(ctx(c), actor(c), s.Catalog.Pick(v.Claim.Language)); err != nil {
			return d, err
		}
	}
	if d.Intake, err = s.Bench.Intake(ctx(c), v.Claim.ID); err != nil {
		return d, err
	}
	if d.Attachments, err = s.Evidence.List(ctx(c), actor(c), v.Claim.RMANumber); err != nil {
		return d, err
	}
	d.Conditions = bench.Conditions
	return d, nil
}

// Can reports whether the page offers the catalogue action at path.
func (d claimPageData) Can(path string) bool { return d.Offered[path] }

// claimData is what both the claim page and its live fragment show.
func (s *Server) claimData(v claim.View, role account.Role) claimPageData {
	st := v.Claim.Status
	return claimPageData{View: v, Overdue: v.Claim.Overdue(s.Claims.Now()), RejectReasons: claim.RejectReasons,
		UnrepairedReasons: claim.UnrepairedReasons,
		SlipReady:         st.SlipAvailable(),
		InboundLink:       carrier.Link(v.Claim.InboundCarrier, v.Claim.InboundTracking),
		ReturnLink:        carrier.Link(v.Claim.ReturnCarrier, v.Claim.ReturnTracking),
		ReturnLabel:       st == claim.ReadyToShip || st == claim.Shipped,
		Offered:           offeredActions(st, role), Journey: journeyOf(v)}
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
	d, err := s.fullClaimData(c, v)
	if err != nil {
		c.Status(statusOfErr(err))
		return
	}
	p := s.newPage(c, "claim.title")
	p.Loc = v.Center.Location()
	p.Data = d
	c.Header("Claim-Version", itoa(v.Claim.Version))
	s.render(c, http.StatusOK, "claim_live", p)
}

// pageClaimAction serves a catalogue entry as a page form: it runs the action
// and comes back to the claim page, with the result or with the form's
// problems next to their fields.
func (s *Server) pageClaimAction(a claimAction) gin.HandlerFunc {
	return func(c *gin.Context) {
		rma := c.Param("rma")
		_, ok, err := a.run(s, c, func(req any) bool {
			if err := c.ShouldBindWith(req, binding.Form); err != nil {
				s.pageError(c, http.StatusBadRequest, "bad_request")
				return false
			}
			return true
		})
		if !ok {
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
		c.Redirect(http.StatusSeeOther, "/claims/"+rma+"?done="+a.Path)
	}
}
