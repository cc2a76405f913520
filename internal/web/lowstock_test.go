package web_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDiagnosisWarnsOfLowStock: the diagnosis answer names the parts it
// left at or below their warning level (and none when stock stays high),
// and the technician's claim page shows the warning.
func TestDiagnosisWarnsOfLowStock(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.must(h.do("PUT", "/api/v1/centers/BER/stock/SCR-1", "tech", map[string]any{"name": "Screen", "quantity": 3, "low_at": 1}), 200)
		h.must(h.do("PUT", "/api/v1/centers/BER/stock/BAT-1", "tech", map[string]any{"name": "Battery", "quantity": 10, "low_at": 2}), 200)
		diagnose := func(parts []map[string]any) (string, []map[string]any) {
			rma := h.received()
			h.must(h.do("POST", "/api/v1/claims/"+rma+"/start-diagnosis", "tech", map[string]any{}), 200)
			r := h.must(h.do("POST", "/api/v1/claims/"+rma+"/diagnosis", "tech", map[string]any{"findings": "Cracked",
				"decision": "repair", "codes": []string{"display"}, "parts": parts}), 200)
			var out struct {
				LowStock []map[string]any `json:"low_stock"`
			}
			if err := json.Unmarshal(r.Raw, &out); err != nil {
				t.Fatal(err)
			}
			return rma, out.LowStock
		}
		rma, low := diagnose([]map[string]any{{"part_number": "SCR-1", "name": "Screen", "quantity": 2},
			{"part_number": "BAT-1", "name": "Battery", "quantity": 1}})
		if len(low) != 1 || low[0]["part_number"] != "SCR-1" || low[0]["quantity"] != 1.0 || low[0]["low"] != true {
			t.Errorf("low_stock %v, want the screen alone with 1 left", low)
		}
		_, body := h.browserAs(t, "tech@example.com").get("/claims/" + rma)
		if !strings.Contains(body, `id="low-stock"`) || !strings.Contains(body, "SCR-1") {
			t.Error("the technician's page does not warn of the low stock")
		}
		if _, low := diagnose([]map[string]any{{"part_number": "BAT-1", "name": "Battery", "quantity": 1}}); len(low) != 0 {
			t.Errorf("low_stock %v with 8 batteries left", low)
		}
	})
}
