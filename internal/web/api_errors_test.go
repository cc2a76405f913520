package web_test

import (
	"fmt"
	"testing"
)

// endpoint is one claim route with the role that may call it, a body that
// would be accepted, one that breaks a field rule, and the claim state it
// needs.
type endpoint struct {
	method, path, role string
	good, invalid      map[string]any
	invalidField       string
	// state prepares a claim the action is allowed on; wrongState one it is not.
	state, wrongState func(h *harness) string
}

func endpoints() []endpoint {
	none := map[string]any{}
	return []endpoint{
		{"POST", "pick", "rep", none, nil, "", (*harness).file, (*harness).approved},
		{"POST", "approve", "rep", map[string]any{"note": "ok"}, map[string]any{"note": string(make([]byte, 5000))}, "note",
			(*harness).file, (*harness).approved},
		{"POST", "reject", "rep", map[string]any{"reason_code": "other"}, map[string]any{"reason_code": "because"}, "reason_code",
			(*harness).file, (*harness).approved},
		{"POST", "request-info", "rep", map[string]any{"question": "Which colour?"}, map[string]any{"question": "  "}, "question",
			(*harness).file, (*harness).approved},
		{"POST", "answer", "buyer", map[string]any{"answer": "Black."}, map[string]any{"answer": ""}, "answer",
			questioned, (*harness).file},
		{"POST", "cancel", "buyer", map[string]any{"reason": "changed my mind"}, map[string]any{"reason": string(make([]byte, 5000))}, "reason",
			(*harness).file, (*harness).received},
		{"POST", "sent", "buyer", map[string]any{"carrier": "DHL", "tracking_number": "1"}, map[string]any{"carrier": "DHL"}, "tracking_number",
			(*harness).approved, (*harness).file},
		{"POST", "start-diagnosis", "tech", none, nil, "", (*harness).received, (*harness).approved},
		{"POST", "diagnosis", "tech", map[string]any{"findings": "Board fault.", "decision": "repair"},
			map[string]any{"findings": "Board fault.", "decision": "replace", "replacement_imei": "123"}, "replacement_imei",
			(*harness).received, (*harness).approved},
		{"POST", "ready", "tech", map[string]any{"note": "QC ok"}, map[string]any{"note": string(make([]byte, 5000))}, "note",
			repairing, (*harness).received},
		{"POST", "return-shipment", "tech", map[string]any{"carrier": "UPS", "tracking_number": "1Z"},
			map[string]any{"tracking_number": "1Z"}, "carrier", readyToShip, repairing},
		{"POST", "delivered", "buyer", none, nil, "", shipped, readyToShip},
		{"GET", "", "buyer", nil, nil, "", (*harness).file, nil},
	}
}

func questioned(h *harness) string {
	rma := h.file()
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/request-info", "rep", map[string]any{"question": "Photo?"}), 200)
	return rma
}

func repairing(h *harness) string {
	rma := h.received()
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/diagnosis", "tech", map[string]any{"findings": "Fault.", "decision": "repair"}), 200)
	return rma
}

func readyToShip(h *harness) string {
	rma := repairing(h)
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/ready", "tech", nil), 200)
	return rma
}

func shipped(h *harness) string {
	rma := readyToShip(h)
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/return-shipment", "tech", map[string]any{"carrier": "UPS", "tracking_number": "1Z"}), 200)
	return rma
}

// otherRole is a signed-in role that may not call the endpoint.
func otherRole(role string) string {
	if role == "buyer" {
		return "rep"
	}
	return "buyer"
}

// stranger is a user of the same role who may not see the claim.
func stranger(role string) string {
	switch role {
	case "buyer":
		return "other"
	case "tech":
		return "tech.mad"
	}
	return ""
}

// TestEveryClaimEndpointRefusesCleanly checks, for every claim route: the
// happy path, 401, 403, 404 for a foreign or unknown claim, 409 in a wrong
// state, 422 with the field named, 400 for malformed JSON, and that no
// refusal changes anything.
func TestEveryClaimEndpointRefusesCleanly(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		for _, e := range endpoints() {
			name := e.method + " " + e.path
			t.Run(name, func(t *testing.T) {
				h := h.with(t)
				rma := e.state(h)
				path := "/api/v1/claims/" + rma
				if e.path != "" {
					path += "/" + e.path
				}
				before := h.snapshot()
				expect := func(what, who string, body any, status int, code string) response {
					t.Helper()
					r := h.do(e.method, path, who, body)
					if r.Status != status || r.errCode() != code || r.message() == "" {
						t.Errorf("%s: got %d %s, want %d %s", what, r.Status, r.Raw, status, code)
					}
					return r
				}
				expect("no token", "", e.good, 401, "unauthenticated")
				if e.method == "POST" {
					expect("wrong role", otherRole(e.role), e.good, 403, "forbidden")
					expect("malformed JSON", e.role, `{"note": `, 400, "bad_request")
					expect("JSON of the wrong shape", e.role, `["a list"]`, 400, "bad_request")
				}
				if s := stranger(e.role); s != "" {
					expect("foreign claim", s, e.good, 404, "not_found")
				}
				// Another buyer cannot even tell that the claim exists.
				if r := h.do("GET", "/api/v1/claims/"+rma, "other", nil); r.Status != 404 || r.errCode() != "not_found" {
					t.Errorf("another buyer reads the claim: %d %s", r.Status, r.Raw)
				}
				unknown := "/api/v1/claims/RMA-0000-0000"
				if e.path != "" {
					unknown += "/" + e.path
				}
				if r := h.do(e.method, unknown, e.role, e.good); r.Status != 404 || r.errCode() != "not_found" {
					t.Errorf("unknown claim: %d %s", r.Status, r.Raw)
				}
				if e.invalid != nil {
					r := expect("invalid field", e.role, e.invalid, 422, "invalid")
					if r.field(e.invalidField) == "" {
						t.Errorf("422 does not name %s: %s", e.invalidField, r.Raw)
					}
				}
				h.unchanged(before, name+" refusals")
				if e.wrongState != nil {
					other := e.wrongState(h)
					wrongPath := "/api/v1/claims/" + other + "/" + e.path
					before := h.snapshot()
					if r := h.do(e.method, wrongPath, e.role, e.good); r.Status != 409 || r.errCode() != "conflict" {
						t.Errorf("wrong state: %d %s", r.Status, r.Raw)
					}
					h.unchanged(before, name+" in a wrong state")
				}
				r := h.do(e.method, path, e.role, e.good)
				if r.Status != 200 {
					t.Errorf("happy path: %d %s", r.Status, r.Raw)
				}
			})
		}
	})
}

// TestStaffSeeEveryClaimTechniciansTheirCenters covers who may read a claim.
func TestWhoMayReadAClaim(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.file()
		for who, status := range map[string]int{"buyer": 200, "rep": 200, "admin": 200, "tech": 200, "other": 404, "tech.mad": 404} {
			if r := h.do("GET", "/api/v1/claims/"+rma, who, nil); r.Status != status {
				t.Errorf("%s reads: %d, want %d", who, r.Status, status)
			}
		}
		for _, bad := range []string{"RMA-0000-0000", "nonsense", fmt.Sprint(rma, "X")} {
			if r := h.do("GET", "/api/v1/claims/"+bad, "rep", nil); r.Status != 404 {
				t.Errorf("%s: %d", bad, r.Status)
			}
		}
		if r := h.do("GET", "/api/v1/no/such/route", "rep", nil); r.Status != 404 || r.errCode() != "not_found" {
			t.Errorf("unknown route: %d %s", r.Status, r.Raw)
		}
	})
}
