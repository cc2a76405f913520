package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/bench"
	"rma/internal/carrier"
	"rma/internal/claim"
)

type intakeCheckJSON struct {
	Condition      string    `json:"condition"`
	ConditionNote  string    `json:"condition_note"`
	Accessories    []string  `json:"accessories"`
	ActivationLock string    `json:"activation_lock"`
	CheckedAt      time.Time `json:"checked_at"`
}

type partJSON struct {
	PartNumber string `json:"part_number"`
	Name       string `json:"name"`
	Quantity   int    `json:"quantity"`
}

// benchClaimJSON is the claim with what the bench recorded about it.
type benchClaimJSON struct {
	claimJSON
	IntakeCheck    *intakeCheckJSON `json:"intake_check"`
	DiagnosisCodes []string         `json:"diagnosis_codes"`
	Parts          []partJSON       `json:"parts"`
	// TrackingLinks are the carriers' tracking pages of both legs, when
	// the carrier is one we know.
	TrackingLinks trackingLinksJSON `json:"tracking_links"`
	// LowStock lists the parts this answer's diagnosis left at or below
	// their warning level.
	LowStock []stockJSON `json:"low_stock,omitempty"`
}

type trackingLinksJSON struct {
	Inbound *string `json:"inbound"`
	Return  *string `json:"return"`
}

func trackingLinks(c claim.Claim) trackingLinksJSON {
	var out trackingLinksJSON
	if l := carrier.Link(c.InboundCarrier, c.InboundTracking); l != "" {
		out.Inbound = &l
	}
	if l := carrier.Link(c.ReturnCarrier, c.ReturnTracking); l != "" {
		out.Return = &l
	}
	return out
}

// renderBenchView renders the claim with its intake check, codes and parts.
func (s *Server) renderBenchView(c *gin.Context, v claim.View) (benchClaimJSON, error) {
	out := benchClaimJSON{claimJSON: s.claimBody(c, v), DiagnosisCodes: []string{}, Parts: []partJSON{},
		TrackingLinks: trackingLinks(v.Claim)}
	chk, err := s.Bench.Intake(ctx(c), v.Claim.ID)
	if err != nil {
		return out, err
	}
	if chk != nil {
		out.IntakeCheck = &intakeCheckJSON{Condition: chk.Condition, ConditionNote: chk.ConditionNote,
			Accessories: nonNil(chk.Accessories), ActivationLock: chk.ActivationLock, CheckedAt: chk.CheckedAt}
	}
	parts, codes, err := s.Bench.Used(ctx(c), v.Claim.ID)
	if err != nil {
		return out, err
	}
	out.DiagnosisCodes = nonNil(codes)
	for _, p := range parts {
		out.Parts = append(out.Parts, partJSON{PartNumber: p.Number, Name: p.Name, Quantity: p.Quantity})
	}
	return out, nil
}

func (s *Server) answerBench(c *gin.Context, v claim.View, low []bench.Stock, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.renderBenchView(c, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, l := range low {
		out.LowStock = append(out.LowStock, renderStock(l))
	}
	c.JSON(http.StatusOK, out)
}

type intakeCheckRequest struct {
	Condition      string   `json:"condition"`
	ConditionNote  string   `json:"condition_note"`
	Accessories    []string `json:"accessories"`
	ActivationLock string   `json:"activation_lock"`
}

// recordIntakeCheck records the device's condition at arrival.
func (s *Server) recordIntakeCheck(c *gin.Context) {
	var req intakeCheckRequest
	if !s.bind(c, &req) {
		return
	}
	v, _, err := s.Bench.RecordIntake(ctx(c), actor(c), c.Param("rma"), bench.IntakeRequest{Condition: req.Condition,
		ConditionNote: req.ConditionNote, Accessories: req.Accessories, ActivationLock: req.ActivationLock})
	s.answerBench(c, v, nil, err)
}

// listDiagnosisCodes gives the catalogue of diagnosis codes with their
// names in the caller's language.
func (s *Server) listDiagnosisCodes(c *gin.Context) {
	lang := language(c)
	items := make([]gin.H, len(bench.DiagnosisCodes))
	for i, code := range bench.DiagnosisCodes {
		items[i] = gin.H{"code": code, "name": s.Catalog.T(lang, "diagnosis."+code, nil)}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

type linkJSON struct {
	DeviceID  string `json:"device_id"`
	RMANumber string `json:"rma_number"`
}

// showDevice is a device's history: its claims and replacements.
func (s *Server) showDevice(c *gin.Context) {
	h, err := s.Bench.Device(ctx(c), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	now := s.Claims.Now()
	claims := make([]claimJSON, len(h.Claims))
	for i, cl := range h.Claims {
		claims[i] = renderClaim(cl, now)
	}
	link := func(l *bench.Link) *linkJSON {
		if l == nil {
			return nil
		}
		return &linkJSON{DeviceID: l.DeviceID, RMANumber: l.RMANumber}
	}
	c.JSON(http.StatusOK, gin.H{"device_id": h.DeviceID, "claims": claims, "replaced_by": link(h.ReplacedBy),
		"replaces": link(h.Replaces), "repeat": h.Repeat})
}

type stockJSON struct {
	Center     string `json:"center"`
	PartNumber string `json:"part_number"`
	Name       string `json:"name"`
	Quantity   int    `json:"quantity"`
	LowAt      int    `json:"low_at"`
	Low        bool   `json:"low"`
}

func renderStock(st bench.Stock) stockJSON {
	return stockJSON{Center: st.Center, PartNumber: st.Part.Number, Name: st.Part.Name, Quantity: st.Part.Quantity,
		LowAt: st.LowAt, Low: st.Low}
}

// listStock lists a center's parts and replacement devices.
func (s *Server) listStock(c *gin.Context) {
	list, err := s.Bench.Stock(ctx(c), actor(c), c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]stockJSON, len(list))
	for i, st := range list {
		items[i] = renderStock(st)
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// putStock sets how many of a part a center has.
func (s *Server) putStock(c *gin.Context) {
	var req struct {
		Name     string `json:"name"`
		Quantity int    `json:"quantity"`
		LowAt    int    `json:"low_at"`
	}
	if !s.bind(c, &req) {
		return
	}
	st, err := s.Bench.PutStock(ctx(c), actor(c), bench.Stock{Center: c.Param("code"),
		Part: bench.Part{Number: c.Param("part"), Name: req.Name, Quantity: req.Quantity}, LowAt: req.LowAt})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, renderStock(st))
}
