package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestReturnSlipAndScannedConfirmation: when a dispute ends in a return,
// its buyer (and nobody else) downloads a slip whose QR code leads to the
// dispute; the seller scans the parcel's code into their list page and the
// refund follows, once. A forged code is refused next to the field and
// changes nothing; another seller's scan is not found.
func TestReturnSlipAndScannedConfirmation(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		n := h.must(h.do("POST", "/api/v1/disputes", "buyer", map[string]any{"order_number": "ORD-S1",
			"reason": "damaged", "description": "cracked", "remedy": "return_and_refund"}), 201).str("dispute_number")
		slipPath := "/api/v1/disputes/" + n + "/return-slip.pdf"
		if r := h.must(h.do("GET", slipPath, "buyer", nil), 409); r.reason("") != "return_slip_unavailable" {
			t.Errorf("slip before the agreement: %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/disputes/"+n+"/accept", "seller.SHOP", nil), 200)
		h.must(h.do("GET", slipPath, "seller.SHOP", nil), 403)
		h.must(h.do("GET", slipPath, "other", nil), 404)
		h.must(h.do("GET", slipPath+"?format=poster", "buyer", nil), 422)
		r := h.must(h.do("GET", slipPath+"?format=label", "buyer", nil), 200)
		if r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("slip %s", r.Header)
		}
		qr := qrText(t, r.Raw)
		if !strings.HasPrefix(qr, "http") || !strings.Contains(qr, "/r/"+n+".") {
			t.Fatalf("the slip's QR code holds %q", qr)
		}
		code := qr[strings.LastIndex(qr, "/")+1:]
		h.must(h.do("POST", "/api/v1/disputes/"+n+"/send-back", "buyer", map[string]any{"note": "DHL 00340434"}), 200)

		// The phone's camera opens the QR code's address: the dispute.
		seller := h.browserAs(t, "seller.SHOP@example.com")
		res, _ := seller.get("/r/" + code)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/disputes/"+n {
			t.Errorf("the QR code leads to %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		// A forged code is refused next to the field.
		tok := seller.token("/disputes")
		forged := code[:len(code)-1] + map[bool]string{true: "0", false: "1"}[code[len(code)-1] != '0']
		res = seller.post("/disputes/scan", url.Values{"code": {forged}, "_csrf": {tok}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a forged code: %d", res.StatusCode)
		}
		if r := h.must(h.do("GET", "/api/v1/disputes/"+n, "buyer", nil), 200); r.str("status") != "returning" {
			t.Fatalf("after a forged scan: %s", r.Raw)
		}
		other := h.browserAs(t, "seller.OTHER@example.com")
		res = other.post("/disputes/scan", url.Values{"code": {code}, "_csrf": {other.token("/disputes")}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("another seller's scan: %d", res.StatusCode)
		}
		// The seller's USB scanner types the code and Enter.
		res = seller.post("/disputes/scan", url.Values{"code": {strings.ToLower(code) + "\n"}, "_csrf": {tok}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/disputes/"+n) {
			t.Fatalf("the scan: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		r = h.must(h.do("GET", "/api/v1/disputes/"+n, "buyer", nil), 200)
		if r.str("status") != "refunded" {
			t.Fatalf("after the scan: %s", r.Raw)
		}
		res = seller.post("/disputes/scan", url.Values{"code": {code}, "_csrf": {tok}})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("a second scan: %d", res.StatusCode)
		}
		r = h.must(h.do("GET", "/api/v1/refunds?order_number=ORD-S1", "buyer", nil), 200)
		if items, _ := r.Body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["amount"] != "499.00" {
			t.Errorf("the refunds ledger: %s", r.Raw)
		}
	})
}
