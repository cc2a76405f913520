package web_test

import (
	"strings"
	"testing"

	"rma/internal/imei"
)

// TestDeviceConflictIsMarkedForTheRep: two buyers whose orders record no
// IMEI claim the same one; neither is refused, the rep's claim object, queue
// and panel mark both, and the buyers see nothing of the other claim.
func TestDeviceConflictIsMarkedForTheRep(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		device := imei.WithCheckDigit("35209900176150")
		file := func(who, number string) string {
			r := h.must(h.do("POST", "/api/v1/claims", who, map[string]any{"order_number": number, "coverage": "extended_warranty",
				"imei": device, "description": "It no longer turns on."}), 201)
			if _, ok := r.Body["device_conflict"]; ok {
				t.Errorf("the buyer's answer tells of the device check: %s", r.Raw)
			}
			return r.str("rma_number")
		}
		first, second := file("buyer", "ORD-6"), file("other", "ORD-4")
		for _, rma := range []string{first, second} {
			r := h.must(h.do("GET", "/api/v1/claims/"+rma, "rep", nil), 200)
			if r.Body["device_conflict"] != true || r.Body["device_check"] != "claimed" {
				t.Errorf("%s for the rep: conflict %v, check %v", rma, r.Body["device_conflict"], r.Body["device_check"])
			}
		}
		if r := h.must(h.do("GET", "/api/v1/claims/"+first, "buyer", nil), 200); strings.Contains(string(r.Raw), second) ||
			strings.Contains(string(r.Raw), "device_conflict") {
			t.Errorf("the buyer reads of the other claim: %s", r.Raw)
		}
		rep := h.browserAs(t, "rep@example.com")
		_, queue := rep.get("/queue")
		for _, rma := range []string{first, second} {
			i := strings.Index(queue, `>`+rma+`</a>`)
			if i < 0 || !strings.Contains(queue[i:min(len(queue), i+200)], "device-flag") {
				t.Errorf("the queue does not mark %s", rma)
			}
		}
		if _, panel := rep.get("/claims/" + first); !strings.Contains(panel, `id="device-flag"`) {
			t.Error("the rep's panel does not mark the conflict")
		}
		if _, page := h.browserAs(t, "buyer@example.com").get("/claims/" + first); strings.Contains(page, "device-flag") {
			t.Error("the buyer's page shows the rep's marker")
		}
	})
}
