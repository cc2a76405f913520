package slip

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"os/exec"
	"strings"
	"testing"
	"time"

	"rma/internal/i18n"
)

// The addresses every slip must print without overlaps: a long German one,
// a Cyrillic one and one of five lines, each starting with the name as
// shops write addresses.
var hardAddresses = map[string]Party{
	"german": {Name: "Maximilian Alexander Schwarzenberger-Hohenlohe", Address: []string{
		"Maximilian Alexander Schwarzenberger-Hohenlohe",
		"Donaudampfschifffahrtsgesellschaftskapitänsstraße 123, Hinterhaus, 4. Obergeschoss links",
		"c/o Rechtsanwaltskanzlei Müller-Lüdenscheidt & Partner mbB",
		"81549 München-Obergiesing-Fasangarten", "Deutschland"}},
	"cyrillic": {Name: "Александра Константиновна Преображенская", Address: []string{
		"Александра Константиновна Преображенская",
		"ул. Большая Семёновская, д. 38, корп. 2, стр. 1, кв. 417",
		"Москва, Восточный административный округ", "107023, Российская Федерация"}},
	"five lines": {Name: "Carlos Peña", Address: []string{
		"Carlos Peña", "Urbanización Los Álamos", "Calle de la Virgen de la Esperanza 14, 3.º B",
		"Escalera interior, puerta izquierda", "29001 Málaga", "España"}},
}

// word is one word's box as pdftotext -bbox gives it, in points.
type word struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

func (w word) rect() Rect { return Rect{X: w.XMin, Y: w.YMin, W: w.XMax - w.XMin, H: w.YMax - w.YMin} }

type bboxPage struct {
	Width  float64 `xml:"width,attr"`
	Height float64 `xml:"height,attr"`
	Words  []word  `xml:"word"`
}

// textBoxes runs pdftotext -bbox on the PDF and returns its one page.
func textBoxes(t *testing.T, pdf []byte) bboxPage {
	t.Helper()
	cmd := exec.Command("pdftotext", "-bbox", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var doc struct {
		Pages []bboxPage `xml:"body>doc>page"`
	}
	// The output is XHTML with a DOCTYPE; the decoder needs only the tags.
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("read pdftotext -bbox: %v\n%s", err, out)
	}
	if len(doc.Pages) != 1 {
		t.Fatalf("%d pages", len(doc.Pages))
	}
	return doc.Pages[0]
}

// mmToPt turns a rectangle in mm into points, as pdftotext measures.
func mmToPt(r Rect) Rect {
	k := 72 / 25.4
	return Rect{X: r.X * k, Y: r.Y * k, W: r.W * k, H: r.H * k}
}

// checkLayout asserts that no two words overlap, that no word runs into a
// code, rule or frame, and that every word is on the page.
func checkLayout(t *testing.T, pg bboxPage, marks []Rect) {
	t.Helper()
	const eps = 0.01 // points: boxes that only touch do not overlap
	shrink := func(r Rect) Rect { return Rect{X: r.X + eps, Y: r.Y + eps, W: r.W - 2*eps, H: r.H - 2*eps} }
	if len(pg.Words) < 20 {
		t.Fatalf("only %d words on the page", len(pg.Words))
	}
	for _, m := range marks {
		if pm := mmToPt(m); m.W < 0 || m.H < 0 || pm.X < 0 || pm.Y < 0 || pm.X+pm.W > pg.Width+eps || pm.Y+pm.H > pg.Height+eps {
			t.Errorf("a shape at (%.1f %.1f %.1f %.1f) pt leaves the page", pm.X, pm.Y, pm.X+pm.W, pm.Y+pm.H)
		}
	}
	for i, a := range pg.Words {
		if a.XMin < 0 || a.YMin < 0 || a.XMax > pg.Width || a.YMax > pg.Height {
			t.Errorf("%q at (%.1f %.1f %.1f %.1f) leaves the %.1f x %.1f page", a.Text, a.XMin, a.YMin, a.XMax, a.YMax, pg.Width, pg.Height)
		}
		ra := shrink(a.rect())
		for _, b := range pg.Words[i+1:] {
			if ra.Overlaps(b.rect()) {
				t.Errorf("%q (%.1f %.1f %.1f %.1f) overlaps %q (%.1f %.1f %.1f %.1f)",
					a.Text, a.XMin, a.YMin, a.XMax, a.YMax, b.Text, b.XMin, b.YMin, b.XMax, b.YMax)
			}
		}
		for _, m := range marks {
			if pm := mmToPt(m); ra.Overlaps(pm) {
				t.Errorf("%q (%.1f %.1f %.1f %.1f) runs into a drawn shape at (%.1f %.1f %.1f %.1f) pt",
					a.Text, a.XMin, a.YMin, a.XMax, a.YMax, pm.X, pm.Y, pm.X+pm.W, pm.Y+pm.H)
			}
		}
	}
}

// TestNoTextOverlapsAtAnyAddressLength renders the shipping slip and the
// return label in both formats, for the hard addresses, in every language,
// and reads the text boxes back from the PDF.
func TestNoTextOverlapsAtAnyAddressLength(t *testing.T) {
	need(t, "pdftotext")
	r := renderer(t)
	for name, addr := range hardAddresses {
		for _, lang := range i18n.Languages {
			for _, ret := range []bool{false, true} {
				for _, f := range []Format{A4, Label} {
					kind := map[bool]string{false: "slip", true: "return"}[ret]
					t.Run(fmt.Sprintf("%s/%s/%s/%s", name, lang, kind, f), func(t *testing.T) {
						s := sample(lang)
						s.Buyer, s.Return = addr, ret
						pdf, marks, err := r.render(s, f)
						if err != nil {
							t.Fatal(err)
						}
						if len(marks) < 2 {
							t.Fatalf("%d shapes recorded", len(marks))
						}
						checkLayout(t, textBoxes(t, pdf), marks)
					})
				}
			}
		}
	}
}

// TestTheSenderIsNamedOnce: an address that starts with the name (as the
// shop writes it) prints the name once per address block, and every block
// still prints each address line.
func TestTheSenderIsNamedOnce(t *testing.T) {
	need(t, "pdftotext")
	r := renderer(t)
	s := sample("en")
	s.Buyer = Party{Name: "Bea Buyer", Address: []string{"bea  buyer", "Kastanienallee 12", "10435 Berlin", "Germany"}}
	for _, f := range []Format{A4, Label} { // a party without an address prints its name
		bare := s
		bare.Buyer = Party{Name: "Bea Buyer"}
		if text := pdfText(t, mustRender(t, r, bare, f)); !strings.Contains(text, "Bea Buyer") {
			t.Errorf("%s: the name of a party without an address is missing", f)
		}
	}
	blocks := map[Format]int{A4: 2, Label: 1} // A4: the page and its cut-out label
	for f, want := range blocks {
		text := pdfText(t, mustRender(t, r, s, f))
		if got := strings.Count(strings.ToLower(text), "bea buyer"); got != want {
			t.Errorf("%s: the sender's name printed %d times, want %d:\n%s", f, got, want, text)
		}
		if got := strings.Count(text, "Kastanienallee 12"); got != want {
			t.Errorf("%s: the street printed %d times, want %d", f, got, want)
		}
	}
}

// TestShipByDateIsLocalized: the ship-by day is written in the slip's
// language, as the center's day, never as an ISO date.
func TestShipByDateIsLocalized(t *testing.T) {
	need(t, "pdftotext")
	r := renderer(t)
	cat, _ := i18n.New()
	// 23:30 UTC on Sunday 27 December is Monday 28 December in Moscow.
	at := time.Date(2026, 12, 27, 23, 30, 0, 0, time.UTC)
	want := map[string]string{"en": "Monday 28 December 2026", "ru": "понедельника, 28 декабря 2026",
		"es": "lunes 28 de diciembre de 2026"}
	for _, lang := range i18n.Languages {
		s := sample(lang)
		s.ShipBy, s.TimeZone = &at, "Europe/Moscow"
		if got := cat.Until(lang, at, time.FixedZone("MSK", 3*3600)); got != want[lang] {
			t.Errorf("%s: Until = %q, want %q", lang, got, want[lang])
		}
		for _, f := range []Format{A4, Label} {
			text := strings.Join(strings.Fields(pdfText(t, mustRender(t, r, s, f))), " ")
			if !strings.Contains(text, want[lang]) || strings.Contains(text, "2026-12-2") {
				t.Errorf("%s %s: ship-by day not %q:\n%s", lang, f, want[lang], text)
			}
		}
	}
}

func mustRender(t *testing.T, r *Renderer, s Slip, f Format) []byte {
	t.Helper()
	pdf, err := r.Render(s, f)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestRectOverlaps(t *testing.T) {
	a := Rect{X: 10, Y: 10, W: 10, H: 5}
	cases := []struct {
		b    Rect
		want bool
	}{
		{Rect{X: 12, Y: 11, W: 2, H: 2}, true},   // inside
		{Rect{X: 0, Y: 0, W: 30, H: 30}, true},   // around
		{Rect{X: 19, Y: 14, W: 5, H: 5}, true},   // corner
		{Rect{X: 5, Y: 12, W: 6, H: 1}, true},    // left edge
		{Rect{X: 20, Y: 10, W: 5, H: 5}, false},  // touches the right edge
		{Rect{X: 5, Y: 10, W: 5, H: 5}, false},   // touches the left edge
		{Rect{X: 10, Y: 15, W: 10, H: 5}, false}, // touches the bottom
		{Rect{X: 10, Y: 5, W: 10, H: 5}, false},  // touches the top
		{Rect{X: 30, Y: 30, W: 1, H: 1}, false},
		{Rect{X: 15, Y: 0, H: 30}, true},        // a vertical rule across it
		{Rect{X: 0, Y: 12, W: 30}, true},        // a horizontal rule across it
		{Rect{X: 0, Y: 16, W: 30}, false},       // a rule below it
		{Rect{X: 15, Y: 8, W: 1, H: 2.5}, true}, // reaching in from above
	}
	for _, c := range cases {
		if got := a.Overlaps(c.b); got != c.want {
			t.Errorf("%v overlaps %v: %v, want %v", a, c.b, got, c.want)
		}
		if got := c.b.Overlaps(a); got != c.want {
			t.Errorf("%v overlaps %v: %v, want %v", c.b, a, got, c.want)
		}
	}
	if a.Bottom() != 15 {
		t.Errorf("bottom %v", a.Bottom())
	}
}

// TestCodeIsPrintedUnderItsBarcode: the text under each barcode is the
// code, centred under the bars, just below them.
func TestCodeIsPrintedUnderItsBarcode(t *testing.T) {
	need(t, "pdftotext")
	r := renderer(t)
	s := sample("es")
	for _, f := range []Format{A4, Label} {
		pdf, marks, err := r.render(s, f)
		if err != nil {
			t.Fatal(err)
		}
		pg := textBoxes(t, pdf)
		bars := 0
		for _, m := range marks {
			if m.H == 0 || m.W < 2*m.H {
				continue // a rule, a frame edge or the QR code
			}
			bars++
			b := mmToPt(m)
			found := false
			for _, w := range pg.Words {
				centre := (w.XMin + w.XMax) / 2
				below := w.YMin - (b.Y + b.H)
				if w.Text == s.Code && math.Abs(centre-(b.X+b.W/2)) < 0.5 && below >= 0 && below < 3 {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no code centred under the barcode at %v", f, b)
			}
		}
		if want := map[Format]int{A4: 2, Label: 1}[f]; bars != want {
			t.Errorf("%s: %d barcodes, want %d", f, bars, want)
		}
		// The code is also printed by the QR code (on A4, by the cut-out
		// label's): text pushed off the page is not extracted, so count.
		codes := 0
		for _, w := range pg.Words {
			if w.Text == s.Code {
				codes++
			}
		}
		if want := map[Format]int{A4: 3, Label: 2}[f]; codes != want {
			t.Errorf("%s: the code is printed %d times, want %d", f, codes, want)
		}
	}
}

// longTexts are the catalogue's texts, each forty times over: whatever a
// translation's length, every text stays in its place.
type longTexts struct{ cat *i18n.Catalog }

func (l longTexts) T(lang, key string, args map[string]any) string {
	return strings.TrimSpace(strings.Repeat(l.cat.T(lang, key, args)+" ", 40))
}

func (l longTexts) Until(lang string, t time.Time, loc *time.Location) string {
	return strings.TrimSpace(strings.Repeat(l.cat.Until(lang, t, loc)+" ", 40))
}

func TestOverlongTextsStayInTheirPlaces(t *testing.T) {
	need(t, "pdftotext")
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	r := NewRenderer(longTexts{cat})
	for _, lang := range []string{"ru", "es"} {
		for _, ret := range []bool{false, true} {
			for _, f := range []Format{A4, Label} {
				t.Run(fmt.Sprintf("%s/%v/%s", lang, ret, f), func(t *testing.T) {
					s := sample(lang)
					s.Return = ret
					s.Buyer = hardAddresses["german"]
					s.Center = hardAddresses["cyrillic"]
					s.Product = strings.Repeat("Galaxy S25 Ultra 512 GB Titanium ", 8)
					s.OrderNumber = strings.Repeat("ORD-", 40)
					pdf, marks, err := r.render(s, f)
					if err != nil {
						t.Fatal(err)
					}
					checkLayout(t, textBoxes(t, pdf), marks)
				})
			}
		}
	}
}

// TestEveryTextIsPrinted: the shipping slip prints its instructions and
// its ship-by line; the return label prints its note and neither; no
// message key is printed in place of a text.
func TestEveryTextIsPrinted(t *testing.T) {
	need(t, "pdftotext")
	r := renderer(t)
	cat, _ := i18n.New()
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, lang := range i18n.Languages {
		tr := func(key string) string { return flat(cat.T(lang, key, nil)) }
		for _, ret := range []bool{false, true} {
			s := sample(lang)
			s.Return = ret
			a4 := flat(pdfText(t, mustRender(t, r, s, A4)))
			label := flat(pdfText(t, mustRender(t, r, s, Label)))
			own := []string{tr("slip.instructions"), tr("slip.step1"), tr("slip.step6"), tr("slip.subtitle")}
			other := []string{tr("return.note"), tr("return.subtitle")}
			if ret {
				own, other = other, own
			}
			for _, want := range append(own, tr("slip.rma"), tr("slip.scan"), tr("slip.cut"), tr("coverage.accidental_damage")) {
				if !strings.Contains(a4, want) {
					t.Errorf("%s return=%v: A4 lacks %q", lang, ret, want)
				}
			}
			for _, unwanted := range other {
				if strings.Contains(a4, unwanted) {
					t.Errorf("%s return=%v: A4 prints %q", lang, ret, unwanted)
				}
			}
			for i := 1; i <= 6; i++ {
				if step := tr(fmt.Sprintf("slip.step%d", i)); strings.Contains(a4, step) == ret {
					t.Errorf("%s return=%v: step %d printed %v", lang, ret, i, !ret)
				}
			}
			shipBy := tr("slip.ship_by")
			if strings.Contains(a4, shipBy) == ret || strings.Contains(label, shipBy) == ret {
				t.Errorf("%s return=%v: ship-by line printed on A4 %v, on the label %v", lang, ret,
					strings.Contains(a4, shipBy), strings.Contains(label, shipBy))
			}
			for _, text := range []string{a4, label} {
				if strings.Contains(text, "slip.") || strings.Contains(text, "return.") || strings.Contains(text, "coverage.") {
					t.Errorf("%s: a message key is printed:\n%s", lang, text)
				}
			}
		}
	}
}
