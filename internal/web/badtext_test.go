package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/order"
	"rma/internal/store"
)

// TestBadTextIsAFieldError: an address line over 64 KB and a page form
// with bytes that are not UTF-8 are refused with a 422 naming the field,
// and nothing is stored. (Before, on MariaDB: 500 for both.)
func TestBadTextIsAFieldError(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		admin := h.browserAs(t, "admin@example.com")
		before := h.snapshot()
		r := h.must(h.do("PUT", "/api/v1/orders/ORD-LONG", "admin", map[string]any{"buyer_email": "buyer@example.com",
			"buyer_name": "B", "shipping_address": []string{strings.Repeat("x", 70<<10)}, "completed_at": "2026-10-01T10:00:00Z",
			"country": "DE", "product_name": "Phone", "category": "phone", "coverages": []string{"extended_warranty"}}), 422)
		if r.reason("shipping_address") != "field_too_long" {
			t.Errorf("long line: %s", r.Raw)
		}
		form := url.Values{"_csrf": {admin.token("/admin/centers")}, "code": {"VIE"},
			"name": {"Wien \xff\xfe"}, "country": {"AT"}, "time_zone": {"Europe/Vienna"}, "address": {"Ring 1"}}
		res, err := admin.http.Post(h.srv.URL+"/admin/centers?lang=es", "application/x-www-form-urlencoded",
			strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(res)
		if res.StatusCode != 422 || !strings.Contains(body, "«name»") {
			t.Errorf("invalid UTF-8: %d %s", res.StatusCode, body)
		}
		h.unchanged(before, "refused text")
	})
}

// TestColumnOverflowIsAFieldError: a value the domain let through but a
// MariaDB column cannot hold is an invalid field, not an internal error.
func TestColumnOverflowIsAFieldError(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		if h.st.Dialect() != store.MySQL {
			t.Skip("SQLite columns hold any length")
		}
		done := time.Now()
		for field, o := range map[string]order.Order{
			"product_name": {Number: "ORD-X1", BuyerEmail: "b@example.com", BuyerName: "B", ShippingAddress: []string{"a"},
				CompletedAt: &done, Country: "DE", ProductName: strings.Repeat("p", 300), Category: "phone",
				Coverages: []coverage.Kind{coverage.ExtendedWarranty}},
			"buyer_name": {Number: "ORD-X2", BuyerEmail: "b@example.com", BuyerName: "Caf\xe9", ShippingAddress: []string{"a"},
				CompletedAt: &done, Country: "DE", ProductName: "P", Category: "phone",
				Coverages: []coverage.Kind{coverage.ExtendedWarranty}},
		} {
			_, err := h.st.PutOrder(context.Background(), o, done)
			fe, ok := fault.As(err)
			if !ok || fe.Kind != fault.Invalid || fe.Fields[field] == "" {
				t.Errorf("%s: %v", field, err)
			}
		}
	})
}

func readAll(res *http.Response) string {
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
