package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/fault"
)

// myClaims lists the buyer's claims.
func (s *Server) myClaims(c *gin.Context) {
	claims, err := s.Claims.List(ctx(c), actor(c), claim.Filter{Limit: 200})
	if err != nil {
		s.pageFail(c, err)
		return
	}
	p := s.newPage(c, "nav.my_claims")
	p.Data = claims
	s.render(c, http.StatusOK, "my_claims", p)
}

type newClaimData struct {
	Order    string
	NotFound string
	claim.OrderCheck
	Any bool
	// Open is the open claim on the order's device, if there is one (its
	// RMA number is empty when it is not the buyer's).
	Open *claim.Claim
}

// claimForm starts from the order number and shows what can be claimed
// under it, and until when, before the buyer writes anything.
func (s *Server) claimForm(c *gin.Context, status int, p page, order string) {
	d := newClaimData{Order: strings.TrimSpace(order)}
	if d.Order != "" {
		res, err := s.Claims.CheckOrder(ctx(c), actor(c), d.Order)
		switch {
		case fault.Is(err, fault.NotFound):
			d.NotFound = p.T("order_not_found")
		case err != nil:
			s.pageFail(c, err)
			return
		}
		d.OrderCheck = res
		for _, e := range res.Coverages {
			d.Any = d.Any || e.Eligible
		}
		if err == nil {
			device := c.PostForm("imei") + c.PostForm("serial_number")
			open, found, err := s.Claims.OpenOnDevice(ctx(c), actor(c), d.Order, device)
			if err != nil {
				s.pageFail(c, err)
				return
			}
			if found {
				d.Open = &open
			}
		}
	}
	p.Data = d
	s.render(c, status, "new_claim", p)
}

func (s *Server) newClaim(c *gin.Context) {
	s.claimForm(c, http.StatusOK, s.newPage(c, "nav.new_claim"), c.Query("order"))
}

// fileClaimPage files the claim, or shows the form again with each problem
// next to its field.
func (s *Server) fileClaimPage(c *gin.Context) {
	incident, ok := parseTime(c.PostForm("incident_date"))
	var err error
	var v claim.View
	if !ok {
		err = fault.Field("incident_date", "date_invalid")
	} else {
		v, err = s.Claims.Submit(ctx(c), actor(c), claim.Request{OrderNumber: c.PostForm("order_number"),
			Coverage: coverage.Kind(c.PostForm("coverage")), IMEI: c.PostForm("imei"), SerialNumber: c.PostForm("serial_number"),
			Description: c.PostForm("description"), IncidentDate: incident})
	}
	if err != nil {
		if errors.Is(err, fault.ErrInvalid) || errors.Is(err, fault.ErrConflict) {
			p := s.withErrors(s.newPage(c, "nav.new_claim"), c, err)
			s.claimForm(c, statusOfErr(err), p, c.PostForm("order_number"))
			return
		}
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/claims/"+v.Claim.RMANumber+"?done=filed")
}
