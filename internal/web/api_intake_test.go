package web_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"rma/internal/slip"
	"rma/internal/testenv"
)

// barcodeText renders a PDF's first page as a 203 dpi thermal printer
// prints it (black and white, no smoothing) and returns the Code 128 text
// zbarimg reads off it.
func barcodeText(t testing.TB, pdf []byte) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "slip.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "203", "-mono", "-aa", "no", "-aaVector", "no", "-f", "1", "-l", "1",
		in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "p*.pbm"))
	if len(pages) != 1 {
		t.Fatalf("pages: %v", pages)
	}
	out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Scode128.enable", pages[0]).Output()
	if err != nil {
		t.Fatalf("zbarimg found no Code 128: %v", err)
	}
	return strings.TrimSpace(strings.Split(string(out), "\n")[0])
}

// pdfText extracts a PDF's text with pdftotext.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// qrText renders a PDF's first page at 150 dpi and returns the QR code
// zbarimg reads off it.
func qrText(t testing.TB, pdf []byte) string {
	t.Helper()
	testenv.Tool(t, "pdftoppm", "poppler-utils")
	testenv.Tool(t, "zbarimg", "zbar-tools")
	dir := t.TempDir()
	in := filepath.Join(dir, "slip.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	if len(pages) != 1 {
		t.Fatalf("pages: %v", pages)
	}
	out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", pages[0]).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	codes := strings.Split(strings.TrimSpace(string(out)), "\n")
	for _, c := range codes[1:] {
		if c != codes[0] {
			t.Fatalf("the page carries different QR codes: %v", codes)
		}
	}
	return codes[0]
}

func (h *harness) signer() slip.Signer { return h.app.Shipping.Signer() }

func TestSlipsDecodeAndTheirCodeReceivesTheDevice(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.approved()
		want := h.signer().URL(rma)
		var decoded []string
		for _, f := range []string{"a4", "label"} {
			for _, lang := range []string{"en", "ru", "es"} {
				r := h.must(h.do("GET", "/api/v1/claims/"+rma+"/slip.pdf?format="+f+"&lang="+lang, "buyer", nil), 200)
				if ct := r.Header.Get("Content-Type"); ct != "application/pdf" {
					t.Errorf("content type %q", ct)
				}
				if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="`+rma+"-"+f+`.pdf"` {
					t.Errorf("disposition %q", cd)
				}
				got := qrText(t, r.Raw)
				if got != want {
					t.Errorf("%s/%s QR holds %q, want %q", f, lang, got, want)
				}
				decoded = append(decoded, got)
			}
		}
		before := h.snapshot()
		r := h.must(h.do("POST", "/api/v1/intake/scans", "tech", map[string]any{"code": decoded[0] + "\n"}), 200)
		if r.str("status") != "received" || r.str("return_due_at") != "2026-12-12T10:00:00Z" || r.Header.Get("Intake-Repeat") != "false" {
			t.Fatalf("first scan %s", r.Raw)
		}
		after := h.snapshot()
		if after.Events != before.Events+1 {
			t.Errorf("first scan wrote %d events", after.Events-before.Events)
		}
		// Every other decoded text (each language and format) is the same label: a repeat.
		for _, code := range decoded[1:] {
			again := h.must(h.do("POST", "/api/v1/intake/scans", "tech", map[string]any{"code": code}), 200)
			if again.Header.Get("Intake-Repeat") != "true" || again.str("received_at") != r.str("received_at") {
				t.Errorf("repeat scan %s", again.Raw)
			}
		}
		h.unchanged(after, "repeated scans")
		var received int64
		h.st.DB().Table("claim_events").Where("to_status = ?", "received").Count(&received)
		if received != 1 {
			t.Errorf("%d received events", received)
		}
	})
}

// TestBarcodeAt203DPIReceivesTheDevice: what a 1D scanner reads off the
// thermal label is the signed code, and the scan station takes it.
func TestBarcodeAt203DPIReceivesTheDevice(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.approved()
		pdf := h.must(h.do("GET", "/api/v1/claims/"+rma+"/slip.pdf?format=label", "buyer", nil), 200).Raw
		text := barcodeText(t, pdf)
		if text != h.signer().Code(rma) {
			t.Fatalf("the barcode reads %q, want the signed code %q", text, h.signer().Code(rma))
		}
		// A USB scanner types the text and presses Enter.
		r := h.must(h.do("POST", "/api/v1/intake/scans", "tech", map[string]any{"code": text + "\r\n"}), 200)
		if r.str("status") != "received" || r.Header.Get("Intake-Repeat") != "false" {
			t.Fatalf("scan of the barcode %s", r.Raw)
		}
	})
}

// TestBareRMANeedsTheDevice: an RMA number typed by hand is refused with
// its own reason, in the caller's language, until the device's IMEI comes
// with it; the right IMEI receives the device.
func TestBareRMANeedsTheDevice(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.approved()
		device := h.must(h.do("GET", "/api/v1/claims/"+rma, "tech", nil), 200).str("imei")
		before := h.snapshot()
		for _, lang := range []string{"en", "ru", "es"} {
			r := h.must(h.do("POST", "/api/v1/intake/scans?lang="+lang, "tech", map[string]any{"code": strings.ToLower(rma)}), 422)
			if r.reason("") != "device_id_required" || r.field("imei") == "" || r.field("serial_number") == "" {
				t.Errorf("%s: %s", lang, r.Raw)
			}
		}
		r := h.must(h.do("POST", "/api/v1/intake/scans", "tech", map[string]any{"code": rma, "serial_number": "SN-OTHER"}), 409)
		if r.reason("") != "serial_mismatch" {
			t.Errorf("another serial: %s", r.Raw)
		}
		h.unchanged(before, "refused bare scans")
		r = h.must(h.do("POST", "/api/v1/intake/scans", "tech", map[string]any{"code": " " + rma + "\n", "imei": device}), 200)
		if r.str("status") != "received" || r.Header.Get("Intake-Repeat") != "false" {
			t.Fatalf("bare RMA with its IMEI %s", r.Raw)
		}
	})
}

func TestScanRefusalsChangeNothing(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		approved := h.approved()
		code := h.signer().Code(approved)
		submitted := h.file()
		rejected := h.file()
		h.must(h.do("POST", "/api/v1/claims/"+rejected+"/reject", "rep", map[string]any{"reason_code": "other"}), 200)
		cases := []struct {
			name, who, code, imei string
			status                int
			reason                string
		}{
			{"forged signature", "tech", approved + ".ABCDEFGHJK", "", 404, "label_forged"},
			{"signed with another secret", "tech", slip.NewSigner(strings.Repeat("x", 40), "http://x").Code(approved), "", 404, "label_forged"},
			{"truncated code", "tech", code[:len(code)-4], "", 404, "label_incomplete"},
			{"RMA number only", "tech", approved, "", 422, "device_id_required"},
			{"RMA number, another device", "tech", approved, imeiD, 409, "imei_mismatch"},
			{"garbage", "tech", "hello world", "", 404, "label_unreadable"},
			{"another center's claim", "tech.mad", code, "", 404, "label_other_center"},
			{"not yet approved", "tech", h.signer().Code(submitted), "", 409, "claim_not_approved"},
			{"rejected", "tech", h.signer().URL(rejected), "", 409, "claim_rejected_no_intake"},
			{"wrong device", "tech", code, imeiD, 409, "imei_mismatch"},
			{"bad IMEI", "tech", code, "12345", 422, "imei_invalid"},
			{"no code", "tech", "", "", 422, "code_required"},
			{"a rep", "rep", code, "", 403, ""},
			{"a buyer", "buyer", code, "", 403, ""},
		}
		for _, tc := range cases {
			before := h.snapshot()
			r := h.do("POST", "/api/v1/intake/scans", tc.who, map[string]any{"code": tc.code, "imei": tc.imei})
			if r.Status != tc.status || r.reason("") != tc.reason && tc.reason != "" || r.message() == "" {
				t.Errorf("%s: %d %s", tc.name, r.Status, r.Raw)
			}
			h.unchanged(before, tc.name)
		}
		// The right device, read off its box, is accepted.
		r := h.must(h.do("POST", "/api/v1/intake/scans", "tech", map[string]any{"code": strings.ToLower(code), "imei": "  "}), 200)
		if r.str("status") != "received" {
			t.Errorf("accepted %s", r.Raw)
		}
		h.must(h.do("POST", "/api/v1/intake/scans", "tech", `{"code": 7}`), 400)
	})
}

// TestFiftySimultaneousScansReceiveOnce: one transition, one event, and
// every scan gets the same claim back.
func TestFiftySimultaneousScansReceiveOnce(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.approved()
		url := h.signer().URL(rma)
		var wg sync.WaitGroup
		results := make([]response, 50)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = h.do("POST", "/api/v1/intake/scans", "tech", map[string]any{"code": url})
			}()
		}
		wg.Wait()
		firsts := 0
		for _, r := range results {
			if r.Status != 200 || r.str("status") != "received" || r.str("received_at") != results[0].str("received_at") {
				t.Fatalf("scan %d %s", r.Status, r.Raw)
			}
			if r.Header.Get("Intake-Repeat") == "false" {
				firsts++
			}
		}
		var received int64
		h.st.DB().Table("claim_events").Where("to_status = ?", "received").Count(&received)
		if firsts != 1 || received != 1 {
			t.Errorf("%d first scans, %d received events", firsts, received)
		}
	})
}

func TestSlipDownloadRules(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		submitted := h.file()
		r := h.must(h.do("GET", "/api/v1/claims/"+submitted+"/slip.pdf", "buyer", nil), 409)
		if r.reason("") != "slip_not_available" {
			t.Errorf("before approval %s", r.Raw)
		}
		rma := h.approved()
		h.must(h.do("GET", "/api/v1/claims/"+rma+"/slip.pdf", "other", nil), 404)
		h.must(h.do("GET", "/api/v1/claims/"+rma+"/slip.pdf", "tech.mad", nil), 404)
		h.must(h.do("GET", "/api/v1/claims/"+rma+"/slip.pdf", "", nil), 401)
		h.must(h.do("GET", "/api/v1/claims/"+rma+"/slip.pdf?format=letter", "buyer", nil), 422)
		first := h.must(h.do("GET", "/api/v1/claims/"+rma+"/slip.pdf", "buyer", nil), 200)
		for _, who := range []string{"rep", "tech", "admin", "buyer"} {
			again := h.must(h.do("GET", "/api/v1/claims/"+rma+"/slip.pdf?format=a4", who, nil), 200)
			if !bytes.Equal(first.Raw, again.Raw) {
				t.Errorf("%s got a different slip", who)
			}
		}
		var kept int64
		h.st.DB().Table("slips").Count(&kept)
		if kept != 1 {
			t.Errorf("%d slips kept for one claim, format and language", kept)
		}
		if !bytes.HasPrefix(first.Raw, []byte("%PDF-")) {
			t.Error("not a PDF")
		}
	})
}

func TestLabelLinkOpensTheTrackingPage(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.approved()
		r := h.do("GET", "/s/"+h.signer().Code(rma), "", nil, "Accept-Language", "es")
		body := string(r.Raw)
		if r.Status != 200 || !strings.Contains(body, rma) || !strings.Contains(body, "aprobada") ||
			!strings.Contains(r.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Fatalf("page %d %s", r.Status, body)
		}
		if strings.Contains(body, imeiA) || strings.Contains(body, "Test Buyer") {
			t.Error("the page shows personal details")
		}
		if r := h.do("GET", "/s/"+rma+".AAAAAAAAAA", "", nil); r.Status != 404 {
			t.Errorf("forged code: %d", r.Status)
		}
		if r := h.do("GET", "/assets/app.css", "", nil); r.Status != 200 {
			t.Errorf("stylesheet: %d", r.Status)
		}
	})
}

// BenchmarkSlipRepeatDownload measures a slip download served from the
// kept copy, through the whole HTTP stack (SQLite).
func BenchmarkSlipRepeatDownload(b *testing.B) {
	h := newHarness(b, openSQLite(b))
	rma := h.approved()
	path := h.srv.URL + "/api/v1/claims/" + rma + "/slip.pdf?format=a4"
	get := func() {
		req, _ := http.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+h.tokens["buyer"])
		res, err := h.srv.Client().Do(req)
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("%v %v", err, res)
		}
		_, _ = bytes.NewBuffer(nil).ReadFrom(res.Body)
		res.Body.Close()
	}
	get() // the first download renders and keeps it
	b.ResetTimer()
	for b.Loop() {
		get()
	}
}

// BenchmarkSlipFirstRender measures the service's cost of a slip that has
// not been kept yet: the claim reads plus rendering.
func BenchmarkSlipFirstRender(b *testing.B) {
	h := newHarness(b, openSQLite(b))
	rma := h.approved()
	buyer, _ := h.app.Accounts.Authenticate(context.Background(), h.tokens["buyer"])
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		h.st.DB().Exec("DELETE FROM slips")
		b.StartTimer()
		if _, _, err := h.app.Shipping.Slip(ctx, buyer.Actor(), rma, slip.A4, ""); err != nil {
			b.Fatal(err)
		}
	}
}
