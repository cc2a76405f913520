package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

type trackStep struct{ ISO, When, Status string }

type trackPage struct {
	page
	RMA, Status, Updated, UpdatedISO string
	Steps                            []trackStep
}

func stamp(t time.Time) (iso, human string) {
	return t.UTC().Format(time.RFC3339), t.UTC().Format("2006-01-02 15:04 UTC")
}

// showLabelPage is where a phone camera pointed at a slip's QR code lands:
// the claim's status and history, without personal details, in the
// phone's language.
func (s *Server) showLabelPage(c *gin.Context) {
	v, err := s.Shipping.Public(ctx(c), c.Param("code"))
	p := s.newPage(c)
	if err != nil {
		s.render(c, http.StatusNotFound, "not_found", p)
		return
	}
	status := func(st string) string { return s.Catalog.T(p.Lang, "status."+st, nil) }
	data := trackPage{page: p, RMA: v.Claim.RMANumber, Status: status(string(v.Claim.Status))}
	data.UpdatedISO, data.Updated = stamp(v.Claim.UpdatedAt)
	for _, e := range v.Events {
		iso, when := stamp(e.At)
		data.Steps = append(data.Steps, trackStep{ISO: iso, When: when, Status: status(string(e.To))})
	}
	s.render(c, http.StatusOK, "track", data)
}
