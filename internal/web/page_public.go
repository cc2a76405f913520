package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/claim"
	"rma/internal/fault"
)

type trackData struct {
	Found   bool
	RMA     string
	Status  claim.Status
	Updated time.Time
	Steps   []claim.Event
	// Journey is the stepper and the "what to do now" card; Public: the
	// card's actions ask to sign in first.
	Journey journey
	Public  bool
}

func trackOf(v claim.View) trackData {
	return trackData{Found: true, RMA: v.Claim.RMANumber, Status: v.Claim.Status, Updated: v.Claim.UpdatedAt, Steps: v.Events,
		Journey: journeyOf(v), Public: true}
}

// trackForm asks for an RMA number and the buyer's e-mail.
func (s *Server) trackForm(c *gin.Context) {
	p := s.newPage(c, "track.title")
	p.Data = trackData{}
	s.render(c, http.StatusOK, "track", p)
}

// trackPage shows a claim's progress to whoever has its RMA number and its
// buyer's e-mail; no account needed, nothing personal shown.
func (s *Server) trackPage(c *gin.Context) {
	p := s.newPage(c, "track.title")
	v, err := s.Claims.Track(ctx(c), c.PostForm("rma"), c.PostForm("email"))
	if err != nil {
		if fault.Is(err, fault.NotFound) {
			p = s.withErrors(p, c, fault.Field("rma", "track_not_found"))
			p.Data = trackData{}
			s.render(c, http.StatusNotFound, "track", p)
			return
		}
		s.pageFail(c, err)
		return
	}
	// The same times as the label page and the claim page: the center's.
	p.Loc = v.Center.Location()
	p.Data = trackOf(v)
	s.render(c, http.StatusOK, "track", p)
}

// showLabelPage is where a phone camera pointed at a slip's QR code lands:
// the signed code itself proves the holder has the parcel.
func (s *Server) showLabelPage(c *gin.Context) {
	v, err := s.Shipping.Public(ctx(c), c.Param("code"))
	if err != nil {
		s.pageError(c, http.StatusNotFound, "claim_not_found")
		return
	}
	p := s.newPage(c, "track.title")
	p.Loc = v.Center.Location()
	p.Data = trackOf(v)
	s.render(c, http.StatusOK, "track", p)
}
