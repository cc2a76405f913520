package web_test

import (
	"bytes"
	"html"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"rma/internal/i18n"
)

// uploadAs posts a file to the import page in a language.
func uploadAs(t *testing.T, b *browserClient, lang, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", b.token("/admin/orders"))
	f, _ := w.CreateFormFile("file", name)
	_, _ = f.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", b.h.srv.URL+"/admin/orders?lang="+lang, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := b.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, html.UnescapeString(string(body))
}

var importRow = regexp.MustCompile(`(?s)<tr><td>([^<]*)</td><td>(.*?)</td></tr>`)

// refusedRows reads the report: line number to its problems.
func refusedRows(body string) map[string][]string {
	out := map[string][]string{}
	for _, m := range importRow.FindAllStringSubmatch(body, -1) {
		cell := strings.TrimSuffix(strings.TrimPrefix(m[2], "<ul><li>"), "</li></ul>")
		out[m[1]] = strings.Split(cell, "</li><li>")
	}
	return out
}

const importHeader = "order_number,buyer_email,buyer_name,shipping_address,completed_at,country,product_name,category,imei,coverages"

// TestImportListsEveryProblemOfEveryLine: a line with three mistakes shows
// the three, each with its column; a repeated order, a seller nobody
// registered and a misquoted line are each reported; nothing is written.
func TestImportListsEveryProblemOfEveryLine(t *testing.T) {
	cat, _ := i18n.New()
	en := func(key string, args ...any) string {
		m := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			m[args[i].(string)] = args[i+1]
		}
		return cat.T("en", key, m)
	}
	col := func(c, key string) string { return en("import.in_column", "Column", c, "Problem", en(key)) }
	each(t, func(t *testing.T, h *harness) {
		withSellers(t, h)
		admin := h.browserAs(t, "admin@example.com")
		file := importHeader + ",seller\n" +
			"ORD-P1,ana@example.com,Ana,Calle Mayor 1|Madrid,2026-10-01,ES,Galaxy,phone,,extended_warranty,\n" + // good
			"ORD-P2,not-an-email,Bea,Street 1,yesterday,XXX,Lamp,lamp,,extended_warranty,\n" + // three problems
			"ORD-P1,c@example.com,Carl,Street 2,2026-10-01,DE,Lamp,lamp,,extended_warranty,\n" + // repeats line 2
			"ORD-P4,d@example.com,Dora,Street 4,2026-10-01,DE,Lamp,lamp,,extended_warranty,NOPE\n" + // unknown seller
			"ORD-P5,e@example.com,\"Eve \"the\" buyer\",Street 5,2026-10-01,DE,Lamp,lamp,,extended_warranty,\n"
		before := h.snapshot()
		code, body := uploadAs(t, admin, "en", "orders.csv", []byte(file))
		if code != 422 {
			t.Fatalf("import: %d\n%s", code, body)
		}
		h.unchanged(before, "a refused import")
		rows := refusedRows(body)
		want := map[string][]string{
			"3": {col("buyer_email", "email_invalid"), col("completed_at", "date_invalid"), col("country", "country_invalid")},
			"4": {en("import.in_column", "Column", "order_number", "Problem", en("import.repeats", "Number", "ORD-P1", "Line", 2))},
			"5": {col("seller", "seller_unknown")},
			"6": {en("import.bad_quote")},
		}
		for line, problems := range want {
			if strings.Join(rows[line], "\n") != strings.Join(problems, "\n") {
				t.Errorf("line %s:\n got %q\nwant %q", line, rows[line], problems)
			}
		}
		if len(rows) != len(want) || !strings.Contains(body, "4 lines refused") {
			t.Errorf("report %q\n%s", rows, body)
		}
	})
}

// TestImportReadsSemicolonsAndNamesWrongHeaders: a spreadsheet's
// semicolon file imports; a misspelt header names the missing column and
// the unknown one; a PNG is "not a CSV file"; one refused line is "1 line
// refused" in each language.
func TestImportReadsSemicolonsAndNamesWrongHeaders(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	cat, _ := i18n.New()
	admin := h.browserAs(t, "admin@example.com")

	semi := strings.ReplaceAll(importHeader, ",", ";") + "\n" +
		"ORD-S1;ana@example.com;\"Gómez, Ana\";Calle Mayor 1, 2.º|28013 Madrid;2026-10-01;ES;Galaxy;phone;353911101234566;extended_warranty accidental_damage\n"
	if code, body := uploadAs(t, admin, "en", "orders.csv", []byte(semi)); code != 200 || !strings.Contains(body, "1 order imported") {
		t.Fatalf("semicolon file: %d\n%s", code, body)
	}
	if o, err := h.app.Store.Order(t.Context(), "ORD-S1"); err != nil || o.BuyerName != "Gómez, Ana" ||
		strings.Join(o.ShippingAddress, "|") != "Calle Mayor 1, 2.º|28013 Madrid" || len(o.Coverages) != 2 {
		t.Fatalf("imported %+v %v", o, err)
	}

	wrong := strings.Replace(importHeader, "order_number", "order_no", 1) + "\nORD-W1,a@example.com,A,S,2026-10-01,ES,P,phone,,extended_warranty\n"
	for _, lang := range i18n.Languages {
		code, body := uploadAs(t, admin, lang, "orders.csv", []byte(wrong))
		missing := cat.T(lang, "import.missing_column", map[string]any{"Column": "order_number"})
		unknown := cat.T(lang, "import.unknown_column", map[string]any{"Column": "order_no"})
		if code != 422 || !strings.Contains(body, missing) || !strings.Contains(body, unknown) {
			t.Errorf("%s: wrong header: %d, want %q and %q\n%s", lang, code, missing, unknown, body)
		}
		if one := cat.N(lang, "import.refused", 1, nil); !strings.Contains(body, one) {
			t.Errorf("%s: %q missing", lang, one)
		}
	}

	var img bytes.Buffer
	_ = png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8)))
	for _, lang := range i18n.Languages {
		code, body := uploadAs(t, admin, lang, "orders.csv", img.Bytes())
		if want := cat.T(lang, "import.not_csv", nil); code != 422 || !strings.Contains(body, want) {
			t.Errorf("%s: PNG: %d, want %q\n%s", lang, code, want, body)
		}
	}
	if code, body := uploadAs(t, admin, "en", "orders.csv", []byte("order_number,buyer_email\xff\xfe\n")); code != 422 ||
		!strings.Contains(body, cat.T("en", "import.not_utf8", nil)) {
		t.Errorf("Latin-1 file: %d\n%s", code, body)
	}
}
