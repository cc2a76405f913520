package web_test

import (
	"context"
	"testing"
)

// TestSellersAndPricedOrders: an admin registers a seller, a seller account
// bound to it, and an order naming the seller with an exact price and its
// delivery dates; bad codes, prices and dates are refused field by field.
func TestSellersAndPricedOrders(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		seller := map[string]any{"name": "Gadget Shop", "email": "Shop@Example.com", "language": "es",
			"return_address": []string{"Calle Mayor 1", "28013 Madrid"}}
		h.must(h.do("PUT", "/api/v1/sellers/gadget-shop", "rep", seller), 403)
		r := h.must(h.do("PUT", "/api/v1/sellers/gadget-shop", "admin", seller), 200)
		if r.str("code") != "GADGET-SHOP" || r.str("email") != "shop@example.com" {
			t.Errorf("seller %s", r.Raw)
		}
		r = h.must(h.do("PUT", "/api/v1/sellers/x", "admin", map[string]any{"email": "nope"}), 422)
		for _, f := range []string{"code", "name", "email", "return_address"} {
			if r.field(f) == "" {
				t.Errorf("no message for %s: %s", f, r.Raw)
			}
		}

		user := map[string]any{"email": "seller@example.com", "name": "Sam Seller", "password": "purple harbour lantern 42",
			"role": "seller"}
		r = h.must(h.do("POST", "/api/v1/users", "admin", user), 422)
		if r.reason("seller_code") != "seller_required" {
			t.Errorf("no seller code: %s", r.Raw)
		}
		user["seller_code"] = "NOBODY"
		if r = h.must(h.do("POST", "/api/v1/users", "admin", user), 422); r.reason("seller_code") != "seller_unknown" {
			t.Errorf("unknown seller: %s", r.Raw)
		}
		user["seller_code"] = "gadget-shop"
		r = h.must(h.do("POST", "/api/v1/users", "admin", user), 201)
		if r.str("role") != "seller" || r.str("seller_code") != "GADGET-SHOP" {
			t.Errorf("seller user %s", r.Raw)
		}
		r = h.must(h.do("POST", "/api/v1/users", "admin", map[string]any{"email": "rep2@example.com", "name": "R",
			"password": "purple harbour lantern 42", "role": "rep", "seller_code": "GADGET-SHOP"}), 422)
		if r.reason("seller_code") != "seller_only_for_sellers" {
			t.Errorf("rep with a seller: %s", r.Raw)
		}

		order := map[string]any{"buyer_email": "buyer@example.com", "buyer_name": "B", "shipping_address": []string{"a"},
			"completed_at": "2026-01-02T03:04:05Z", "country": "DE", "product_name": "P", "category": "laptop",
			"seller": "gadget-shop", "price": map[string]any{"amount": "12.30", "currency": "EUR"},
			"promised_delivery_at": "2026-01-05T00:00:00Z", "delivered_at": "2026-01-07T10:00:00Z"}
		r = h.must(h.do("PUT", "/api/v1/orders/ORD-P1", "admin", order), 200)
		price, _ := r.Body["price"].(map[string]any)
		if r.str("seller") != "GADGET-SHOP" || price["amount"] != "12.30" || price["currency"] != "EUR" ||
			r.str("promised_delivery_at") != "2026-01-05T00:00:00Z" || r.str("delivered_at") != "2026-01-07T10:00:00Z" {
			t.Errorf("priced order %s", r.Raw)
		}

		before := h.snapshot()
		for _, tc := range []struct {
			field, value, reason string
		}{
			{"amount", "0", "amount_not_positive"},
			{"amount", "-1", "amount_invalid"},
			{"amount", "12.301", "amount_too_precise"},
			{"amount", "twelve", "amount_invalid"},
			{"currency", "EURO", "currency_invalid"},
		} {
			bad := map[string]any{"amount": "12.30", "currency": "EUR"}
			bad[tc.field] = tc.value
			order["price"] = bad
			if r = h.must(h.do("PUT", "/api/v1/orders/ORD-P1", "admin", order), 422); r.reason("price") != tc.reason {
				t.Errorf("price %s=%q: %s", tc.field, tc.value, r.Raw)
			}
		}
		order["price"] = map[string]any{"amount": "12.30", "currency": "EUR"}
		order["seller"] = "NOBODY"
		if r = h.must(h.do("PUT", "/api/v1/orders/ORD-P1", "admin", order), 422); r.reason("seller") != "seller_unknown" {
			t.Errorf("unknown seller: %s", r.Raw)
		}
		order["seller"], order["delivered_at"] = "GADGET-SHOP", "soon"
		if r = h.must(h.do("PUT", "/api/v1/orders/ORD-P1", "admin", order), 422); r.reason("delivered_at") != "date_invalid" {
			t.Errorf("bad date: %s", r.Raw)
		}
		h.unchanged(before, "refused orders")
		if o, err := h.app.Store.Order(context.Background(), "ORD-P1"); err != nil || o.Price.Amount() != "12.30" ||
			o.DeliveredAt == nil || o.SellerCode != "GADGET-SHOP" {
			t.Errorf("a refused update changed the order: %+v %v", o, err)
		}

		// A seller sees no claims.
		sess, err := h.app.Accounts.Login(context.Background(), "seller@example.com", "purple harbour lantern 42")
		if err != nil {
			t.Fatal(err)
		}
		h.tokens["seller"] = sess.Token
		r = h.must(h.do("GET", "/api/v1/claims", "seller", nil), 200)
		if items, _ := r.Body["items"].([]any); len(items) != 0 {
			t.Errorf("a seller sees claims: %s", r.Raw)
		}
	})
}
