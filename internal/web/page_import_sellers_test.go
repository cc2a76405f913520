package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestOrderImportTakesSellerPriceAndDelivery: the CSV import's optional
// columns set the seller, the exact price and the delivery dates; a late
// delivery's compensation is written once however often the file is
// imported; a bad price refuses the line with its reason.
func TestOrderImportTakesSellerPriceAndDelivery(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		admin := h.browserAs(t, "admin@example.com")
		header := "order_number,buyer_email,buyer_name,shipping_address,completed_at,country,product_name,category,imei,coverages," +
			"seller,price,currency,promised_delivery_at,delivered_at\n"
		line := "ORD-C1,buyer@example.com,Bea,Street 1|Berlin,2026-11-20,DE,Lamp,lamp,,,SHOP,80.10,EUR,2026-11-10,2026-11-12\n"
		for range 2 {
			if res, body := upload(t, admin, header+line); res.StatusCode != 200 {
				t.Fatalf("import: %d\n%s", res.StatusCode, body)
			}
		}
		o, err := h.app.Store.Order(context.Background(), "ORD-C1")
		if err != nil || o.SellerCode != "SHOP" || o.Price.Amount() != "80.10" || o.DeliveredAt == nil {
			t.Fatalf("imported %+v %v", o, err)
		}
		r := h.must(h.do("GET", "/api/v1/refunds?order_number=ORD-C1", "admin", nil), 200)
		items, _ := r.Body["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["amount"] != "8.01" {
			t.Fatalf("compensation %s", r.Raw)
		}
		bad := strings.Replace(line, "80.10", "80.105", 1)
		if res, _ := upload(t, admin, header+bad); res.StatusCode != 422 {
			t.Fatalf("three decimals imported: %d", res.StatusCode)
		}
	})
}

// TestSellerHomeIsTheirDisputes: a seller signed in on the pages lands on
// their disputes, with their figures.
func TestSellerHomeIsTheirDisputes(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	withSellers(t, h)
	b := h.browserAs(t, "seller.SHOP@example.com")
	res, _ := b.get("/")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/disputes" {
		t.Fatalf("seller home: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := b.get("/disputes")
	if res.StatusCode != 200 || !strings.Contains(body, `id="compliance"`) || !strings.Contains(body, `action="/disputes/scan"`) {
		t.Fatalf("seller's disputes: %d\n%.2000s", res.StatusCode, body)
	}
}
