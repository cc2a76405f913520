package slip

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"rma/internal/claim"
	"rma/internal/i18n"
	"rma/internal/testenv"
)

func renderer(t testing.TB) *Renderer {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	return NewRenderer(cat)
}

// sampleRMA is a fixed, well-formed RMA number (its check symbol found by
// trying each).
var sampleRMA = func() string {
	for _, c := range "0123456789ABCDEFGHJKMNPQRSTVWXYZ" {
		if n, ok := claim.NormalizeRMANumber("RMA-7KQ4-M2X" + string(c)); ok {
			return n
		}
	}
	panic("no check symbol")
}()

func sample(lang string) Slip {
	sig := NewSigner("test-secret-test-secret-test-secret", "https://rma.example.com")
	rma := sampleRMA
	shipBy := time.Date(2026, 12, 27, 10, 0, 0, 0, time.UTC)
	return Slip{RMANumber: rma, URL: sig.URL(rma), Code: sig.Code(rma), Language: lang,
		Buyer:       Party{Name: "Иван Петров", Address: []string{"Calle Peña 3", "29001 Málaga", "España"}},
		Center:      Party{Name: "Centro de Servicio Madrid", Address: []string{"Calle de Alcalá 250", "28027 Madrid"}},
		OrderNumber: "ORD-2001", Product: "Galaxy S25", IMEI: "353911101234566", Coverage: "accidental_damage",
		ShipBy: &shipBy}
}

// need skips the test, saying which package is missing, when a tool is not
// installed (.ci/run installs them; under CI=true a missing tool fails).
func need(t *testing.T, tools ...string) {
	t.Helper()
	pkgs := map[string]string{"pdftoppm": "poppler-utils", "pdftotext": "poppler-utils", "zbarimg": "zbar-tools"}
	for _, tool := range tools {
		testenv.Tool(t, tool, pkgs[tool])
	}
}

// decode renders PDF page 1 at dpi and returns every code zbarimg finds.
// crop, when given, is x, y, width and height in pixels: zbar reports two
// identical 1D codes in one image once, so the A4 page is read in parts.
func decode(t *testing.T, pdf []byte, dpi string, crop ...int) []string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "slip.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-r", dpi, "-png", "-f", "1", "-l", "1"}
	if len(crop) == 4 {
		args = append(args, "-x", strconv.Itoa(crop[0]), "-y", strconv.Itoa(crop[1]),
			"-W", strconv.Itoa(crop[2]), "-H", strconv.Itoa(crop[3]))
	}
	if out, err := exec.Command("pdftoppm", append(args, in, filepath.Join(dir, "page"))...).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pages) != 1 {
		t.Fatalf("pages %v", pages)
	}
	out, err := exec.Command("zbarimg", "--quiet", pages[0]).Output()
	if err != nil {
		t.Fatalf("zbarimg found nothing: %v", err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func TestEveryFormatAndLanguageDecodes(t *testing.T) {
	need(t, "pdftoppm", "zbarimg")
	r := renderer(t)
	for _, lang := range i18n.Languages {
		for _, f := range []Format{A4, Label} {
			t.Run(lang+"/"+string(f), func(t *testing.T) {
				s := sample(lang)
				pdf, err := r.Render(s, f)
				if err != nil {
					t.Fatal(err)
				}
				var codes []string
				if f == A4 { // 150 dpi: 1240 x 1754 pixels; the cut line is at 196 mm, pixel 1157
					codes = append(decode(t, pdf, "150", 0, 0, 1240, 1150), decode(t, pdf, "150", 0, 1160, 1240, 594)...)
				} else {
					codes = decode(t, pdf, "150")
				}
				var qrs, bars int
				for _, c := range codes {
					switch {
					case c == "QR-Code:"+s.URL:
						qrs++
					case c == "CODE-128:"+s.Code:
						bars++
					default:
						t.Errorf("unexpected code %q", c)
					}
				}
				want := 1
				if f == A4 {
					want = 2 // the page and its cut-out label
				}
				if qrs != want || bars != want {
					t.Errorf("found %d QR and %d Code 128 codes, want %d of each: %v", qrs, bars, want, codes)
				}
			})
		}
	}
}

func TestQRDecodesAtLowResolution(t *testing.T) {
	need(t, "pdftoppm", "zbarimg")
	pdf, err := renderer(t).Render(sample("en"), Label)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range decode(t, pdf, "72") {
		if strings.HasPrefix(c, "QR-Code:") {
			return
		}
	}
	t.Error("no QR code decoded at 72 dpi")
}

func TestEveryGlyphPrints(t *testing.T) {
	need(t, "pdftotext")
	for _, lang := range i18n.Languages {
		pdf, err := renderer(t).Render(sample(lang), A4)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		for _, want := range []string{"Иван Петров", "Calle Peña 3", "29001 Málaga", "Calle de Alcalá 250", sampleRMA} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q missing from the extracted text:\n%s", lang, want, text)
			}
		}
		title := renderer(t).texts.T(lang, "slip.title", nil)
		if !strings.Contains(text, title) {
			t.Errorf("%s: title %q missing", lang, title)
		}
	}
}

func TestRenderingIsDeterministic(t *testing.T) {
	r := renderer(t)
	for _, f := range []Format{A4, Label} {
		a, err := r.Render(sample("ru"), f)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := r.Render(sample("ru"), f)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", f)
		}
		if len(a) > 120_000 {
			t.Errorf("%s slip is %d bytes", f, len(a))
		}
	}
}

func BenchmarkRenderA4(b *testing.B) {
	r := renderer(b)
	s := sample("ru")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(s, A4); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderLabel(b *testing.B) {
	r := renderer(b)
	s := sample("es")
	for b.Loop() {
		if _, err := r.Render(s, Label); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBarcodeAt203DPI prints each format as a 203 dpi thermal printer
// would and reads the Code 128 alone: it carries the signed code, so a 1D
// scanner receives the device as the QR code does.
func TestBarcodeAt203DPI(t *testing.T) {
	need(t, "pdftoppm", "zbarimg")
	r := renderer(t)
	s := sample("ru")
	for _, f := range []Format{A4, Label} {
		pdf, err := r.Render(s, f)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		in := filepath.Join(dir, "slip.pdf")
		if err := os.WriteFile(in, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		// Monochrome, no anti-aliasing: what a thermal head prints.
		if out, err := exec.Command("pdftoppm", "-r", "203", "-mono", "-aa", "no", "-aaVector", "no",
			"-f", "1", "-l", "1", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		pages, _ := filepath.Glob(filepath.Join(dir, "p*.pbm"))
		if len(pages) != 1 {
			t.Fatalf("pages %v", pages)
		}
		out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Scode128.enable", pages[0]).Output()
		if err != nil {
			t.Fatalf("%s: zbarimg found no Code 128 at 203 dpi: %v", f, err)
		}
		for _, got := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if got != s.Code {
				t.Errorf("%s: Code 128 reads %q, want %q", f, got, s.Code)
			}
		}
	}
}

// TestBarcodeFitsTheLabel: the label's barcode, quiet zones included, is
// narrower than the 4 inch label, in whole printer dots.
func TestBarcodeFitsTheLabel(t *testing.T) {
	s := sample("en")
	d := &drawer{pdf: newLabelPDF(), s: s}
	d.pdf.AddUTF8FontFromBytes("dejavu", "", regularFont)
	d.pdf.AddPage()
	w := d.barcode(4, 10, 2, 10)
	dots := w / dot
	t.Logf("label barcode: %.1f mm, %.0f dots at 203 dpi, module 2 dots (%.3f mm), %q", w, dots, 2*dot, s.Code)
	if w > 101.6-8 || math.Abs(dots-math.Round(dots)) > 1e-6 {
		t.Errorf("barcode %.2f mm (%.3f dots) does not fit a 4 inch label in whole dots", w, dots)
	}
}
