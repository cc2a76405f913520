package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestDiagnosisFormTakesCodesAndParts: the technician's page offers the
// catalogue's codes and rows of parts, and its form records both (the
// stock goes down); a quantity that is no number is refused with the
// parts' message and records nothing.
func TestDiagnosisFormTakesCodesAndParts(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.must(h.do("PUT", "/api/v1/centers/BER/stock/SCR-1", "tech", map[string]any{"name": "Screen", "quantity": 5, "low_at": 1}), 200)
		rma := h.received()
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/start-diagnosis", "tech", map[string]any{}), 200)
		b := h.browserAs(t, "tech@example.com")
		_, page := b.get("/claims/" + rma + "?lang=es")
		for _, want := range []string{`name="codes" value="display"`, "Pantalla", `name="part_number"`, `name="part_quantity"`} {
			if !strings.Contains(page, want) {
				t.Fatalf("the diagnosis form lacks %s", want)
			}
		}
		tok := b.token("/claims/" + rma)
		form := func(qty string) url.Values {
			return url.Values{"_csrf": {tok}, "findings": {"Cracked display, weak battery"}, "decision": {"repair"},
				"codes":       {"display", "battery"},
				"part_number": {"scr-1", "BAT-X9", "", ""}, "part_name": {"Screen", "Battery", "", ""},
				"part_quantity": {qty, "", "", ""}}
		}
		before := h.snapshot()
		if res := b.post("/claims/"+rma+"/diagnosis", form("two")); res.StatusCode != 422 {
			t.Fatalf("a quantity that is no number: %d, want 422", res.StatusCode)
		}
		h.unchanged(before, "a refused diagnosis form")
		if res := b.post("/claims/"+rma+"/diagnosis", form("2")); res.StatusCode != 303 {
			t.Fatalf("diagnosis form: %d, want 303", res.StatusCode)
		}
		r := h.must(h.do("GET", "/api/v1/claims/"+rma, "tech", nil), 200)
		var got struct {
			Status string   `json:"status"`
			Codes  []string `json:"diagnosis_codes"`
			Parts  []struct {
				Number   string `json:"part_number"`
				Name     string `json:"name"`
				Quantity int    `json:"quantity"`
			} `json:"parts"`
		}
		if err := json.Unmarshal(r.Raw, &got); err != nil {
			t.Fatal(err)
		}
		parts := map[string]int{}
		for _, p := range got.Parts {
			parts[p.Number] = p.Quantity
		}
		if got.Status != "repairing" || strings.Join(got.Codes, ",") != "display,battery" || len(parts) != 2 ||
			parts["SCR-1"] != 2 || parts["BAT-X9"] != 1 {
			t.Errorf("recorded %+v", got)
		}
		var left int
		h.st.DB().Table("part_stock").Select("quantity").Where("part_number = ?", "SCR-1").Scan(&left)
		if left != 3 {
			t.Errorf("stock %d after using 2 of 5", left)
		}
	})
}
