package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentWritersNeverGet500: 40 admins at once put orders (new ones
// and the same ones again), centers and CSV imports. Every answer is a
// success; none is a 500. (Before, on SQLite: "database is locked (517)" for
// 34% of PUT /orders at 40 threads; on MariaDB a duplicate key for 22 of 100
// upserts of one new order.)
func TestConcurrentWritersNeverGet500(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		admin := h.browserAs(t, "admin@example.com")
		csrf := admin.token("/admin/orders")
		type result struct {
			what   string
			status int
			err    error
		}
		results := make(chan result, 400)
		send := func(what string, req *http.Request, client *http.Client) {
			res, err := client.Do(req)
			if err != nil {
				results <- result{what, 0, err}
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode >= 300 && res.StatusCode != http.StatusSeeOther {
				err = fmt.Errorf("%s", body)
			}
			results <- result{what, res.StatusCode, err}
		}
		putJSON := func(path string, body any) *http.Request {
			b, _ := json.Marshal(body)
			req, _ := http.NewRequest("PUT", h.srv.URL+path, bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+h.tokens["admin"])
			return req
		}
		var wg sync.WaitGroup
		for w := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 5 {
					switch w % 3 {
					case 0: // the same few new orders from many writers
						send("order", putJSON(fmt.Sprintf("/api/v1/orders/ORD-C%d", i), map[string]any{
							"buyer_email": "buyer@example.com", "buyer_name": "B", "shipping_address": []string{"Street 1"},
							"completed_at": "2026-10-01T10:00:00Z", "country": "DE", "product_name": "Phone",
							"category": "phone", "coverages": []string{"extended_warranty"}}), h.srv.Client())
					case 1: // centers, each serving a country of its own
						send("center", putJSON(fmt.Sprintf("/api/v1/centers/C%d", w), map[string]any{
							"name": fmt.Sprintf("Center %d", w), "country": "DE", "time_zone": "Europe/Berlin",
							"address": []string{"Street 1"}, "serves": []string{[]string{"PL", "CZ", "SK", "HU", "RO", "BG", "GR", "IT", "FR", "BE", "NL", "LU", "IE", "PT"}[w/3]}}),
							h.srv.Client())
					case 2: // imports overlapping one another
						var buf bytes.Buffer
						mw := multipart.NewWriter(&buf)
						_ = mw.WriteField("_csrf", csrf)
						f, _ := mw.CreateFormFile("file", "orders.csv")
						fmt.Fprintf(f, "order_number,buyer_email,buyer_name,shipping_address,completed_at,country,product_name,category,imei,coverages\n")
						for k := range 5 {
							fmt.Fprintf(f, "ORD-I%d,ana@example.com,Ana,Calle Mayor 1,2026-10-01,ES,Galaxy,phone,,extended_warranty\n", (i+k)%7)
						}
						mw.Close()
						req, _ := http.NewRequest("POST", h.srv.URL+"/admin/orders", &buf)
						req.Header.Set("Content-Type", mw.FormDataContentType())
						send("import", req, admin.http)
					}
				}
			}()
		}
		wg.Wait()
		close(results)
		counts := map[string]map[int]int{}
		for r := range results {
			if counts[r.what] == nil {
				counts[r.what] = map[int]int{}
			}
			counts[r.what][r.status]++
			if r.err != nil {
				t.Errorf("%s: %d %v", r.what, r.status, r.err)
			}
		}
		t.Logf("answers by kind and status: %v", counts)
	})
}

// TestConcurrentPutsOfOneNewOrder: 100 PUTs of the same new order at once
// answer 100 x 200 and leave one row. (Before, on MariaDB: 22 of 100
// answered 500, a duplicate key.)
func TestConcurrentPutsOfOneNewOrder(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		body, _ := json.Marshal(map[string]any{"buyer_email": "buyer@example.com", "buyer_name": "B",
			"shipping_address": []string{"Street 1"}, "completed_at": "2026-10-01T10:00:00Z", "country": "DE",
			"product_name": "Phone", "category": "phone", "coverages": []string{"extended_warranty"}})
		statuses := make([]int, 100)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("PUT", h.srv.URL+"/api/v1/orders/ORD-NEW", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+h.tokens["admin"])
				if res, err := h.srv.Client().Do(req); err == nil {
					statuses[i] = res.StatusCode
					res.Body.Close()
				}
			}()
		}
		wg.Wait()
		counts := map[int]int{}
		for _, s := range statuses {
			counts[s]++
		}
		var rows int64
		h.st.DB().Table("orders").Where("number = ?", "ORD-NEW").Count(&rows)
		if counts[200] != 100 || rows != 1 {
			t.Errorf("answers %v, %d rows", counts, rows)
		}
	})
}
