package web

import (
	"context"
	"slices"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/bench"
	"rma/internal/claim"
)

// claimAction is one entry of the catalogue of claim actions. Each entry is
// served twice from this one description: as the API route
// POST /api/v1/claims/{rma}/{Path} (JSON body) and as the page form
// POST /claims/{rma}/{Path} (form body). Who may use it, and from which
// states, is read from the domain's lifecycle table through the rows it
// fires, so a button is shown exactly when the service would accept it.
type claimAction struct {
	// Path is the URL segment, e.g. "request-info".
	Path string
	// Fires lists the lifecycle rows the action may fire (a diagnosis fires
	// one of three decisions).
	Fires []claim.Action
	// run reads the request with read (JSON for the API, the form for
	// pages) and calls the service; ok is false when read already answered
	// the request.
	run func(s *Server, c *gin.Context, read func(any) bool) (v claim.View, ok bool, err error)
}

// entry makes a catalogue entry from its request type R (with json and form
// tags) and the service call that takes it.
func entry[R any](path string, call func(s *Server, x context.Context, a account.Actor, rma string, r R) (claim.View, error),
	fires ...claim.Action) claimAction {
	return claimAction{Path: path, Fires: fires,
		run: func(s *Server, c *gin.Context, read func(any) bool) (claim.View, bool, error) {
			var r R
			if !read(&r) {
				return claim.View{}, false, nil
			}
			v, err := call(s, ctx(c), actor(c), c.Param("rma"), r)
			return v, true, err
		}}
}

// roles are the people who may use the action from some state.
func (a claimAction) roles() []account.Role {
	var out []account.Role
	for _, f := range a.Fires {
		for _, r := range claim.RolesOf(f) {
			if r != claim.System && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// offered reports whether role may use the action on a claim in st.
func (a claimAction) offered(st claim.Status, role account.Role) bool {
	return slices.ContainsFunc(a.Fires, func(f claim.Action) bool { return claim.Can(f, st, role) })
}

// Request bodies: each field has its JSON name and its form name.
type (
	// emptyRequest is the body of actions that take none: a body that is
	// sent must still be a JSON object.
	emptyRequest struct{}
	noteRequest  struct {
		Note string `json:"note" form:"note"`
	}
	questionRequest struct {
		Question string `json:"question" form:"question"`
	}
	answerRequest struct {
		Answer string `json:"answer" form:"answer"`
	}
	cancelRequest struct {
		Reason string `json:"reason" form:"reason"`
	}
	rejectRequest struct {
		ReasonCode string `json:"reason_code" form:"reason_code"`
		Note       string `json:"note" form:"note"`
	}
	shipmentRequest struct {
		Carrier        string `json:"carrier" form:"carrier"`
		TrackingNumber string `json:"tracking_number" form:"tracking_number"`
	}
	diagnosisRequest struct {
		Findings        string     `json:"findings" form:"findings"`
		Decision        string     `json:"decision" form:"decision"`
		ReplacementIMEI string     `json:"replacement_imei" form:"replacement_imei"`
		ReasonCode      string     `json:"reason_code" form:"reason_code"`
		Codes           []string   `json:"codes" form:"codes"`
		Parts           []partJSON `json:"parts" form:"-"`
		// The page's form sends the parts as rows of three columns.
		PartNumbers    []string `json:"-" form:"part_number"`
		PartNames      []string `json:"-" form:"part_name"`
		PartQuantities []string `json:"-" form:"part_quantity"`
	}
)

// diagnosisPath is the diagnosis's entry, whose answer also warns of low
// stock.
const diagnosisPath = "diagnosis"

// Short names for the catalogue's rows.
type (
	srv    = *Server
	cx     = context.Context
	actr   = account.Actor
	claimV = claim.View
)

// claimActions is the catalogue. Adding an action is a row of the domain's
// lifecycle table, an entry here and its translations. Submitting and
// receiving a claim have routes of their own (see elsewhereActions); the
// system's actions (expire, close) are offered to nobody.
var claimActions = []claimAction{
	entry("pick", func(s srv, x cx, a actr, rma string, _ emptyRequest) (claimV, error) {
		return s.Claims.Pick(x, a, rma)
	}, claim.Pick),
	entry("approve", func(s srv, x cx, a actr, rma string, r noteRequest) (claimV, error) {
		return s.Claims.Approve(x, a, rma, r.Note)
	}, claim.Approve),
	entry("reject", func(s srv, x cx, a actr, rma string, r rejectRequest) (claimV, error) {
		return s.Claims.Reject(x, a, rma, r.ReasonCode, r.Note)
	}, claim.Reject),
	entry("request-info", func(s srv, x cx, a actr, rma string, r questionRequest) (claimV, error) {
		return s.Claims.RequestInfo(x, a, rma, r.Question)
	}, claim.RequestInfo),
	entry("answer", func(s srv, x cx, a actr, rma string, r answerRequest) (claimV, error) {
		return s.Claims.Answer(x, a, rma, r.Answer)
	}, claim.Answer),
	entry("cancel", func(s srv, x cx, a actr, rma string, r cancelRequest) (claimV, error) {
		return s.Claims.Cancel(x, a, rma, r.Reason)
	}, claim.Cancel),
	entry("sent", func(s srv, x cx, a actr, rma string, r shipmentRequest) (claimV, error) {
		return s.Claims.MarkSent(x, a, rma, r.Carrier, r.TrackingNumber)
	}, claim.MarkSent),
	entry("start-diagnosis", func(s srv, x cx, a actr, rma string, _ emptyRequest) (claimV, error) {
		return s.Claims.StartDiagnosis(x, a, rma)
	}, claim.StartDiagnosis),
	entry(diagnosisPath, func(s srv, x cx, a actr, rma string, r diagnosisRequest) (claimV, error) {
		d := bench.DiagnosisRequest{Diagnosis: claim.Diagnosis{Findings: r.Findings, Decision: r.Decision,
			ReplacementIMEI: r.ReplacementIMEI, ReasonCode: r.ReasonCode}, Codes: r.Codes}
		for _, p := range r.Parts {
			d.Parts = append(d.Parts, bench.Part{Number: p.PartNumber, Name: p.Name, Quantity: p.Quantity})
		}
		rows, err := r.formParts()
		if err != nil {
			return claim.View{}, err
		}
		d.Parts = append(d.Parts, rows...)
		v, _, err := s.Bench.Diagnose(x, a, rma, d)
		return v, err
	}, claim.DecideRepair, claim.DecideReplace, claim.DecideReturnUnrepaired),
	entry("ready", func(s srv, x cx, a actr, rma string, r noteRequest) (claimV, error) {
		return s.Claims.MarkReady(x, a, rma, r.Note)
	}, claim.Ready),
	entry("return-shipment", func(s srv, x cx, a actr, rma string, r shipmentRequest) (claimV, error) {
		return s.Claims.ShipBack(x, a, rma, r.Carrier, r.TrackingNumber)
	}, claim.ShipBack),
	entry("delivered", func(s srv, x cx, a actr, rma string, _ emptyRequest) (claimV, error) {
		return s.Claims.Deliver(x, a, rma)
	}, claim.Deliver),
}

// elsewhereActions are the people's actions with routes of their own, by the
// API route and the page route that serve them: filing starts from an order,
// not a claim, and receiving starts from a scanned label.
var elsewhereActions = map[claim.Action][2]string{
	claim.Submit:  {"POST /api/v1/claims", "POST /claims/new"},
	claim.Receive: {"POST /api/v1/intake/scans", "POST /scan"},
}

// offeredActions returns the paths of the catalogue's actions role may use
// on a claim in st: what the claim page shows buttons for.
func offeredActions(st claim.Status, role account.Role) map[string]bool {
	out := map[string]bool{}
	for _, a := range claimActions {
		if a.offered(st, role) {
			out[a.Path] = true
		}
	}
	return out
}
