package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/fault"
)

type createClaimRequest struct {
	OrderNumber  string `json:"order_number"`
	Coverage     string `json:"coverage"`
	IMEI         string `json:"imei"`
	SerialNumber string `json:"serial_number"`
	Description  string `json:"description"`
	IncidentDate string `json:"incident_date"`
}

// createClaim files a buyer's claim.
func (s *Server) createClaim(c *gin.Context) {
	var req createClaimRequest
	if !s.bind(c, &req) {
		return
	}
	incident, ok := parseTime(req.IncidentDate)
	if !ok {
		s.fail(c, fault.Field("incident_date", "date_invalid"))
		return
	}
	v, err := s.Claims.Submit(ctx(c), actor(c), claim.Request{OrderNumber: req.OrderNumber,
		Coverage: coverage.Kind(req.Coverage), IMEI: req.IMEI, SerialNumber: req.SerialNumber,
		Description: req.Description, IncidentDate: incident})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, renderView(v, s.Claims.Now()))
}

// showClaim returns one claim with its timeline.
func (s *Server) showClaim(c *gin.Context) {
	v, err := s.Claims.Get(ctx(c), actor(c), c.Param("rma"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.answerBench(c, v, nil, nil)
}

// listClaims lists the claims the caller may see, newest first.
func (s *Server) listClaims(c *gin.Context) {
	limit, cursor, err := listParams(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := claim.Filter{Limit: limit, After: cursor, Center: strings.ToUpper(c.Query("center")),
		Coverage: coverage.Kind(c.Query("coverage"))}
	for _, st := range strings.Split(c.Query("status"), ",") {
		if st = strings.TrimSpace(st); st != "" {
			f.Status = append(f.Status, claim.Status(st))
		}
	}
	switch c.Query("overdue") {
	case "", "false":
	case "true":
		f.Overdue = true
	default:
		s.fail(c, fault.Field("overdue", "bool_invalid"))
		return
	}
	claims, err := s.Claims.List(ctx(c), actor(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	centers, err := s.Centers.List(ctx(c)) // one read for the page, not one per claim
	if err != nil {
		s.fail(c, err)
		return
	}
	byCode := map[string]centerJSON{}
	for _, ctr := range centers {
		byCode[ctr.Code] = centerJSON{Code: ctr.Code, Name: ctr.Name, Address: nonNil(ctr.Address)}
	}
	now := s.Claims.Now()
	items := make([]claimJSON, len(claims))
	for i, cl := range claims {
		items[i] = renderClaim(cl, now)
		ctr := byCode[cl.CenterCode]
		items[i].Center = &ctr
	}
	next := ""
	if len(claims) == limit {
		next = claims[len(claims)-1].ID
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

// trackClaim is the public tracking endpoint: the RMA number and the buyer's
// e-mail together open a claim's status and timeline.
func (s *Server) trackClaim(c *gin.Context) {
	v, err := s.Claims.Track(ctx(c), c.Param("rma"), c.Query("email"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"rma_number": v.Claim.RMANumber, "status": v.Claim.Status,
		"updated_at": v.Claim.UpdatedAt, "timeline": timeline(v.Events)})
}
