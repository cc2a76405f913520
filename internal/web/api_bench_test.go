package web_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"rma/internal/coverage"
	"rma/internal/imei"
	"rma/internal/order"
)

func TestIntakeChecklist(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		approved := h.approved()
		check := map[string]any{"condition": "worn", "condition_note": "Scratched back", "accessories": []string{"charger", " case ", "charger"},
			"activation_lock": "on"}
		h.must(h.do("POST", "/api/v1/claims/"+approved+"/intake-check", "tech", check), 409)
		rma := h.received()
		before := h.snapshot()
		bad := h.must(h.do("POST", "/api/v1/claims/"+rma+"/intake-check?lang=es", "tech",
			map[string]any{"condition": "broken", "activation_lock": "maybe"}), 422)
		if bad.reason("condition") != "condition_invalid" || bad.reason("activation_lock") != "activation_lock_invalid" || bad.field("condition") == "" {
			t.Errorf("invalid checklist %s", bad.Raw)
		}
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/intake-check", "tech.mad", check), 404)
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/intake-check", "buyer", check), 403)
		h.unchanged(before, "refused checklists")

		r := h.must(h.do("POST", "/api/v1/claims/"+rma+"/intake-check", "tech", check), 200)
		ic, _ := r.Body["intake_check"].(map[string]any)
		if r.str("status") != "received" || ic["condition"] != "worn" || ic["activation_lock"] != "on" ||
			fmt.Sprint(ic["accessories"]) != "[charger case]" {
			t.Fatalf("checklist %s", r.Raw)
		}
		check["activation_lock"] = "off"
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/intake-check", "tech", check), 200)
		got := h.must(h.do("GET", "/api/v1/claims/"+rma, "buyer", nil), 200)
		ic, _ = got.Body["intake_check"].(map[string]any)
		if ic["activation_lock"] != "off" {
			t.Errorf("the claim shows %s", got.Raw)
		}
		var actions []string
		h.st.DB().Table("claim_events e").Joins("JOIN claims c ON c.id = e.claim_id").Where("c.rma_number = ?", rma).
			Order("e.at, e.id").Pluck("e.action", &actions)
		if got := strings.Join(actions[len(actions)-4:], " "); !strings.Contains(got, "activation_lock_on") ||
			!strings.Contains(got, "activation_lock_off") || strings.Count(got, "intake_check") != 2 {
			t.Errorf("events %v", actions)
		}
	})
}

func TestDiagnosisCodesInEveryLanguage(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		names := map[string]string{}
		for _, lang := range []string{"en", "ru", "es"} {
			r := h.must(h.do("GET", "/api/v1/diagnosis-codes?lang="+lang, "tech", nil), 200)
			items, _ := r.Body["items"].([]any)
			for _, it := range items {
				m := it.(map[string]any)
				if m["code"] == "battery" {
					names[lang] = m["name"].(string)
				}
			}
		}
		if names["en"] != "Battery" || names["ru"] != "Аккумулятор" || names["es"] != "Batería" {
			t.Errorf("battery is called %v", names)
		}
		h.must(h.do("GET", "/api/v1/diagnosis-codes", "buyer", nil), 403)
	})
}

// TestStockNeverBelowZero: eight diagnoses of eight claims race for five
// batteries; five get one each, three are refused and change nothing.
func TestStockNeverBelowZero(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.must(h.do("PUT", "/api/v1/centers/BER/stock/BAT-S25", "admin", map[string]any{"name": "Battery S25", "quantity": 5, "low_at": 2}), 200)
		h.must(h.do("PUT", "/api/v1/centers/MAD/stock/BAT-S25", "tech", map[string]any{"quantity": 5}), 404)
		rmas := make([]string, 8)
		for i := range rmas {
			rmas[i] = h.received()
		}
		results := make([]response, len(rmas))
		var wg sync.WaitGroup
		for i, rma := range rmas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = h.do("POST", "/api/v1/claims/"+rma+"/diagnosis", "tech", map[string]any{"findings": "Battery swollen",
					"decision": "repair", "codes": []string{"battery"}, "parts": []map[string]any{{"part_number": "bat-s25", "quantity": 1}}})
			}()
		}
		wg.Wait()
		ok, out := 0, 0
		for _, r := range results {
			switch {
			case r.Status == 200 && r.str("status") == "repairing":
				ok++
				if parts, _ := r.Body["parts"].([]any); len(parts) != 1 {
					t.Errorf("parts %s", r.Raw)
				}
			case r.Status == 409 && r.reason("") == "part_out_of_stock":
				out++
			default:
				t.Errorf("diagnosis %d %s", r.Status, r.Raw)
			}
		}
		stock := h.must(h.do("GET", "/api/v1/centers/BER/stock", "tech", nil), 200)
		items, _ := stock.Body["items"].([]any)
		item, _ := items[0].(map[string]any)
		var used, repairing int64
		h.st.DB().Table("claim_parts").Count(&used)
		h.st.DB().Table("claims").Where("status = ?", "repairing").Count(&repairing)
		if ok != 5 || out != 3 || item["quantity"] != 0.0 || item["low"] != true || used != 5 || repairing != 5 {
			t.Errorf("%d diagnosed, %d refused; stock %v; %d parts rows, %d repairing", ok, out, item, used, repairing)
		}
		h.must(h.do("GET", "/api/v1/centers/BER/stock", "tech.mad", nil), 404)
	})
}

// TestRefusedDiagnosisUsesNoParts: a decision the claim refuses gives its
// parts back.
func TestRefusedDiagnosisUsesNoParts(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		h.must(h.do("PUT", "/api/v1/centers/BER/stock/SCR-1", "tech", map[string]any{"name": "Screen", "quantity": 3, "low_at": 1}), 200)
		rma := h.received()
		device := h.must(h.do("GET", "/api/v1/claims/"+rma, "tech", nil), 200).str("imei")
		before := h.snapshot()
		r := h.must(h.do("POST", "/api/v1/claims/"+rma+"/diagnosis", "tech", map[string]any{"findings": "x", "decision": "replace",
			"replacement_imei": device, "parts": []map[string]any{{"part_number": "SCR-1", "quantity": 2}}}), 422)
		if r.reason("replacement_imei") != "replacement_imei_same" {
			t.Errorf("%s", r.Raw)
		}
		r = h.must(h.do("POST", "/api/v1/claims/"+rma+"/diagnosis", "tech", map[string]any{"findings": "x", "decision": "repair",
			"codes": []string{"flux_capacitor"}}), 422)
		if r.reason("codes") != "diagnosis_code_invalid" {
			t.Errorf("%s", r.Raw)
		}
		h.unchanged(before, "refused diagnoses")
		var left int
		h.st.DB().Table("part_stock").Select("quantity").Where("part_number = ?", "SCR-1").Scan(&left)
		var rows int64
		h.st.DB().Table("claim_parts").Count(&rows)
		if left != 3 || rows != 0 {
			t.Errorf("stock %d, %d part rows after refusals", left, rows)
		}
	})
}

// TestDeviceHistoryLinksReplacementsBothWays: the replaced device points to
// its replacement and back, each with the claim that swapped them; a
// device claimed twice within a year is a repeat.
func TestDeviceHistoryLinksReplacementsBothWays(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.received()
		old := h.must(h.do("GET", "/api/v1/claims/"+rma, "tech", nil), 200).str("imei")
		repl := imei.WithCheckDigit("35000011112222")
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/diagnosis", "tech", map[string]any{"findings": "Board dead", "decision": "replace",
			"replacement_imei": repl, "codes": []string{"board"}}), 200)
		for _, who := range []string{"rep", "tech", "admin"} {
			r := h.must(h.do("GET", "/api/v1/devices/"+old, who, nil), 200)
			by, _ := r.Body["replaced_by"].(map[string]any)
			claims, _ := r.Body["claims"].([]any)
			if by["device_id"] != repl || by["rma_number"] != rma || len(claims) != 1 || r.Body["replaces"] != nil {
				t.Errorf("%s: old device %s", who, r.Raw)
			}
			r = h.must(h.do("GET", "/api/v1/devices/"+repl, who, nil), 200)
			back, _ := r.Body["replaces"].(map[string]any)
			if back["device_id"] != old || back["rma_number"] != rma || r.Body["replaced_by"] != nil {
				t.Errorf("%s: new device %s", who, r.Raw)
			}
		}
		h.must(h.do("GET", "/api/v1/devices/"+old, "tech.mad", nil), 404)
		h.must(h.do("GET", "/api/v1/devices/"+old, "buyer", nil), 403)
		h.must(h.do("GET", "/api/v1/devices/"+imeiC, "rep", nil), 404)

		// Two claims of one device within a year: a repeat.
		done := start.AddDate(0, -1, 0)
		twice := imei.WithCheckDigit("35000022223333")
		if _, _, err := h.app.Orders.Put(context.Background(), order.Order{Number: "ORD-TWICE", BuyerEmail: "buyer@example.com",
			BuyerName: "Test Buyer", ShippingAddress: []string{"Street 1", "Town"}, CompletedAt: &done, Country: "DE",
			ProductName: "Phone", Category: "phone", IMEI: twice, Coverages: []coverage.Kind{coverage.ExtendedWarranty}}); err != nil {
			t.Fatal(err)
		}
		file := map[string]any{"order_number": "ORD-TWICE", "coverage": "extended_warranty", "imei": twice, "description": "It no longer turns on."}
		first := h.must(h.do("POST", "/api/v1/claims", "buyer", file), 201).str("rma_number")
		r := h.must(h.do("GET", "/api/v1/devices/"+twice, "rep", nil), 200)
		if r.Body["repeat"] != false {
			t.Errorf("one claim is a repeat: %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/claims/"+first+"/cancel", "buyer", nil), 200)
		second := h.must(h.do("POST", "/api/v1/claims", "buyer", file), 201).str("rma_number")
		if _, body := h.browserAs(t, "rep@example.com").get("/claims/" + second); !strings.Contains(body, `id="repeat-device"`) {
			t.Error("the rep's panel does not flag the repeat")
		}
		r = h.must(h.do("GET", "/api/v1/devices/"+twice, "rep", nil), 200)
		if claims, _ := r.Body["claims"].([]any); r.Body["repeat"] != true || len(claims) != 2 {
			t.Errorf("two claims: %s", r.Raw)
		}
	})
}

// TestReturnLabel: addressed to the buyer in their language, with the
// signed code in its barcode, for the center's technician once the device
// is ready to ship; the return shipment's tracking becomes a link.
func TestReturnLabel(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.received()
		path := "/api/v1/claims/" + rma + "/return-label.pdf?format=label"
		if r := h.must(h.do("GET", path, "tech", nil), 409); r.reason("") != "return_label_not_available" {
			t.Errorf("before ready: %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/diagnosis", "tech", map[string]any{"findings": "Loose cable", "decision": "repair"}), 200)
		h.must(h.do("POST", "/api/v1/claims/"+rma+"/ready", "tech", nil), 200)
		for _, who := range []string{"buyer", "rep", "tech.mad"} {
			if r := h.do("GET", path, who, nil); r.Status != 404 && r.Status != 403 {
				t.Errorf("%s: %d", who, r.Status)
			}
		}
		h.must(h.do("GET", path, "admin", nil), 200)
		pdf := h.must(h.do("GET", path, "tech", nil), 200).Raw
		if got := barcodeText(t, pdf); got != h.signer().Code(rma) {
			t.Errorf("return label barcode %q", got)
		}
		a4 := h.must(h.do("GET", "/api/v1/claims/"+rma+"/return-label.pdf?format=a4", "tech", nil), 200).Raw
		text := pdfText(t, a4)
		want := h.app.Catalog.T("en", "return.title", nil)
		if !strings.Contains(text, want) || !strings.Contains(text, "Test Buyer") || !strings.Contains(text, "Street 1") {
			t.Errorf("A4 return label text:\n%s", text)
		}
		r := h.must(h.do("POST", "/api/v1/claims/"+rma+"/return-shipment", "tech", map[string]any{"carrier": "DHL Express", "tracking_number": "00340434161812345678"}), 200)
		r = h.must(h.do("GET", "/api/v1/claims/"+rma, "buyer", nil), 200)
		links, _ := r.Body["tracking_links"].(map[string]any)
		if ret, _ := links["return"].(string); !strings.HasPrefix(ret, "https://www.dhl.com/") || !strings.Contains(ret, "00340434161812345678") {
			t.Errorf("tracking links %s", r.Raw)
		}
	})
}

// TestTechnicianClaimPageShowsTheBench: the buyer's description, the
// product, the return address, the return label and a tracking link.
func TestTechnicianClaimPageShowsTheBench(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	rma := h.received()
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/diagnosis", "tech", map[string]any{"findings": "Loose cable", "decision": "repair"}), 200)
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/ready", "tech", nil), 200)
	tech := h.browserAs(t, "tech@example.com")
	res, body := tech.get("/claims/" + rma)
	for _, want := range []string{"It no longer turns on.", "Phone", "Street 1", "Test Buyer", "/claims/" + rma + "/return-label.pdf?format=label"} {
		if res.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("the technician's page lacks %q", want)
		}
	}
	if res, _ := tech.get("/claims/" + rma + "/return-label.pdf?format=a4"); res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("return label from the page: %d", res.StatusCode)
	}
	h.must(h.do("POST", "/api/v1/claims/"+rma+"/return-shipment", "tech", map[string]any{"carrier": "Correos", "tracking_number": "PK123456789ES"}), 200)
	buyer := h.browserAs(t, "buyer@example.com")
	if _, body := buyer.get("/claims/" + rma); !strings.Contains(body, `href="https://www.correos.es/`) {
		t.Error("the buyer's page has no tracking link")
	}
	if res, _ := buyer.get("/claims/" + rma + "/return-label.pdf"); res.StatusCode == 200 {
		t.Error("the buyer may print the return label")
	}
}
