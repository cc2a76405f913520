package web_test

import (
	"context"
	"strings"
	"testing"
)

// TestLateCompensationIsToldInTheBuyersLanguage: a delivery later than
// promised earns a compensation, and the sweep tells its buyer once, in
// the buyer's language, with the exact amount written their way.
func TestLateCompensationIsToldInTheBuyersLanguage(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		h.must(h.do("PUT", "/api/v1/orders/ORD-L1", "admin", map[string]any{"buyer_email": "other@example.com",
			"buyer_name": "Ольга", "shipping_address": []string{"a"}, "completed_at": start.AddDate(0, 0, -2).Format("2006-01-02T15:04:05Z"),
			"country": "LV", "product_name": "Lamp", "category": "lamp", "seller": "SHOP",
			"price":                map[string]any{"amount": "49.90", "currency": "EUR"},
			"promised_delivery_at": start.AddDate(0, 0, -6).Format("2006-01-02T15:04:05Z"),
			"delivered_at":         start.AddDate(0, 0, -3).Format("2006-01-02T15:04:05Z")}), 200)
		for range 2 {
			if _, err := h.app.Runner.Sweep(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		r := h.must(h.do("GET", "/api/v1/admin/mail?to=other@example.com", "admin", nil), 200)
		items, _ := r.Body["items"].([]any)
		var told []map[string]any
		for _, it := range items {
			if m := it.(map[string]any); m["kind"] == "late_compensation" {
				told = append(told, m)
			}
		}
		if len(told) != 1 {
			t.Fatalf("letters %s", r.Raw)
		}
		text, _ := told[0]["text"].(string)
		if told[0]["language"] != "ru" || !strings.Contains(text, "4,99 EUR") || !strings.Contains(text, "ORD-L1") ||
			!strings.Contains(text, "Ольга") {
			t.Errorf("the letter: %v", told[0])
		}
		var told2 int64
		h.st.DB().Table("refunds").Where("order_number = ? AND told_at IS NOT NULL", "ORD-L1").Count(&told2)
		if told2 != 1 {
			t.Errorf("the compensation is not recorded as told")
		}
		r = h.must(h.do("GET", "/api/v1/admin/mail?to=buyer@example.com", "admin", nil), 200)
		if strings.Contains(string(r.Raw), "late_compensation") {
			t.Errorf("a buyer owed nothing was told: %s", r.Raw)
		}
	})
}

// TestLateCompensationWithoutAnAccount: a buyer who never made an account
// is written to in the language of the order's country when the service
// speaks it (Spain: Spanish), else in English (Latvia).
func TestLateCompensationWithoutAnAccount(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		for _, o := range []struct{ number, email, country string }{
			{"ORD-L2", "sin.cuenta@example.com", "ES"}, {"ORD-L3", "no.account@example.com", "LV"}} {
			h.must(h.do("PUT", "/api/v1/orders/"+o.number, "admin", map[string]any{"buyer_email": o.email,
				"buyer_name": "Ana", "shipping_address": []string{"a"}, "completed_at": start.AddDate(0, 0, -2).Format("2006-01-02T15:04:05Z"),
				"country": o.country, "product_name": "Lamp", "category": "lamp", "seller": "SHOP",
				"price":                map[string]any{"amount": "49.90", "currency": "EUR"},
				"promised_delivery_at": start.AddDate(0, 0, -6).Format("2006-01-02T15:04:05Z"),
				"delivered_at":         start.AddDate(0, 0, -3).Format("2006-01-02T15:04:05Z")}), 200)
		}
		if _, err := h.app.Runner.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		for email, want := range map[string]string{"sin.cuenta@example.com": "es", "no.account@example.com": "en"} {
			r := h.must(h.do("GET", "/api/v1/admin/mail?to="+email, "admin", nil), 200)
			items, _ := r.Body["items"].([]any)
			if len(items) != 1 {
				t.Fatalf("%s: letters %s", email, r.Raw)
			}
			m := items[0].(map[string]any)
			if m["kind"] != "late_compensation" || m["language"] != want {
				t.Errorf("%s: %v %v, want late_compensation in %s", email, m["kind"], m["language"], want)
			}
		}
	})
}

// TestMailListTakesThePagesFilters: the admin's mail list answers the
// mailbox page's filters (a part of the address, status, a time range),
// and an unreadable one is a 422 naming it in the reader's language.
func TestMailListTakesThePagesFilters(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		for _, o := range []struct{ number, email string }{{"ORD-M1", "ana.filter@example.com"}, {"ORD-M2", "bo.filter@example.com"}} {
			h.must(h.do("PUT", "/api/v1/orders/"+o.number, "admin", map[string]any{"buyer_email": o.email,
				"buyer_name": "Ana", "shipping_address": []string{"a"}, "completed_at": start.AddDate(0, 0, -2).Format("2006-01-02T15:04:05Z"),
				"country": "LV", "product_name": "Lamp", "category": "lamp", "seller": "SHOP",
				"price":                map[string]any{"amount": "49.90", "currency": "EUR"},
				"promised_delivery_at": start.AddDate(0, 0, -6).Format("2006-01-02T15:04:05Z"),
				"delivered_at":         start.AddDate(0, 0, -3).Format("2006-01-02T15:04:05Z")}), 200)
		}
		if _, err := h.app.Runner.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		count := func(query string) int {
			r := h.must(h.do("GET", "/api/v1/admin/mail?"+query, "admin", nil), 200)
			items, _ := r.Body["items"].([]any)
			return len(items)
		}
		for query, want := range map[string]int{
			"to_contains=.FILTER@": 2, "to_contains=ana.filter": 1, "to_contains=ana.filter&status=held": 1,
			"to_contains=ana.filter&status=sent": 0, "to_contains=filter&from=2999-01-01": 0,
			"to_contains=filter&until=2000-01-01T00:00:00Z": 0, "to=bo.filter@example.com": 1,
		} {
			if got := count(query); got != want {
				t.Errorf("%s: %d letters, want %d", query, got, want)
			}
		}
		r := h.must(h.do("GET", "/api/v1/admin/mail?status=lost&from=yesterday", "admin", nil, "Accept-Language", "es"), 422)
		if r.field("status") == "" || r.field("from") == "" || !strings.Contains(r.message()+r.field("from"), "fecha") {
			t.Errorf("bad filters: %s", r.Raw)
		}
		r = h.must(h.do("GET", "/api/v1/admin/mail?from=2026-05-02&until=2026-05-01", "admin", nil), 422)
		if r.field("until") == "" {
			t.Errorf("a range that ends before it starts: %s", r.Raw)
		}
	})
}
