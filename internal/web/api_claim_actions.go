package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"rma/internal/claim"
)

// answerWith renders the claim an action returned.
func (s *Server) answerWith(c *gin.Context, v claim.View, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, renderView(v, s.Claims.Now()))
}

type noteRequest struct {
	Note string `json:"note"`
}

// emptyRequest is the body of actions that take none: a body that is sent
// must still be a JSON object.
type emptyRequest struct{}

func (s *Server) pickClaim(c *gin.Context) {
	if s.bind(c, &emptyRequest{}) {
		v, err := s.Claims.Pick(ctx(c), actor(c), c.Param("rma"))
		s.answerWith(c, v, err)
	}
}

func (s *Server) approveClaim(c *gin.Context) {
	var req noteRequest
	if s.bind(c, &req) {
		v, err := s.Claims.Approve(ctx(c), actor(c), c.Param("rma"), req.Note)
		s.answerWith(c, v, err)
	}
}

type rejectRequest struct {
	ReasonCode string `json:"reason_code"`
	Note       string `json:"note"`
}

func (s *Server) rejectClaim(c *gin.Context) {
	var req rejectRequest
	if s.bind(c, &req) {
		v, err := s.Claims.Reject(ctx(c), actor(c), c.Param("rma"), req.ReasonCode, req.Note)
		s.answerWith(c, v, err)
	}
}

type questionRequest struct {
	Question string `json:"question"`
}

func (s *Server) requestInfo(c *gin.Context) {
	var req questionRequest
	if s.bind(c, &req) {
		v, err := s.Claims.RequestInfo(ctx(c), actor(c), c.Param("rma"), req.Question)
		s.answerWith(c, v, err)
	}
}

type answerRequest struct {
	Answer string `json:"answer"`
}

func (s *Server) answerClaim(c *gin.Context) {
	var req answerRequest
	if s.bind(c, &req) {
		v, err := s.Claims.Answer(ctx(c), actor(c), c.Param("rma"), req.Answer)
		s.answerWith(c, v, err)
	}
}

type cancelRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) cancelClaim(c *gin.Context) {
	var req cancelRequest
	if s.bind(c, &req) {
		v, err := s.Claims.Cancel(ctx(c), actor(c), c.Param("rma"), req.Reason)
		s.answerWith(c, v, err)
	}
}

type shipmentRequest struct {
	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"tracking_number"`
}

func (s *Server) markSent(c *gin.Context) {
	var req shipmentRequest
	if s.bind(c, &req) {
		v, err := s.Claims.MarkSent(ctx(c), actor(c), c.Param("rma"), req.Carrier, req.TrackingNumber)
		s.answerWith(c, v, err)
	}
}

func (s *Server) startDiagnosis(c *gin.Context) {
	if s.bind(c, &emptyRequest{}) {
		v, err := s.Claims.StartDiagnosis(ctx(c), actor(c), c.Param("rma"))
		s.answerWith(c, v, err)
	}
}

type diagnosisRequest struct {
	Findings        string `json:"findings"`
	Decision        string `json:"decision"`
	ReplacementIMEI string `json:"replacement_imei"`
	ReasonCode      string `json:"reason_code"`
}

func (s *Server) diagnose(c *gin.Context) {
	var req diagnosisRequest
	if s.bind(c, &req) {
		v, err := s.Claims.Decide(ctx(c), actor(c), c.Param("rma"), claim.Diagnosis{Findings: req.Findings,
			Decision: req.Decision, ReplacementIMEI: req.ReplacementIMEI, ReasonCode: req.ReasonCode})
		s.answerWith(c, v, err)
	}
}

func (s *Server) markReady(c *gin.Context) {
	var req noteRequest
	if s.bind(c, &req) {
		v, err := s.Claims.MarkReady(ctx(c), actor(c), c.Param("rma"), req.Note)
		s.answerWith(c, v, err)
	}
}

func (s *Server) shipBack(c *gin.Context) {
	var req shipmentRequest
	if s.bind(c, &req) {
		v, err := s.Claims.ShipBack(ctx(c), actor(c), c.Param("rma"), req.Carrier, req.TrackingNumber)
		s.answerWith(c, v, err)
	}
}

func (s *Server) markDelivered(c *gin.Context) {
	if s.bind(c, &emptyRequest{}) {
		v, err := s.Claims.Deliver(ctx(c), actor(c), c.Param("rma"))
		s.answerWith(c, v, err)
	}
}
