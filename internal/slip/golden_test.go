package slip

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rma/internal/i18n"
)

var update = flag.Bool("update", false, "rewrite the golden layout files in testdata")

// TestLayoutIsPinned pins the slips' layout on purpose: every word's box
// as pdftotext reads it and every drawn shape (QR code, barcode with its
// quiet zones, rules, cut-out frame), in mm rounded to 0.1, for the claim
// slip and the return slip in both formats, with ordinary and overlong
// texts. The overlap tests only see that nothing collides, and a box moved
// a few mm still collides with nothing; here any change of the layout shows
// as a diff and is accepted deliberately with
// `go test ./internal/slip/ -run TestLayoutIsPinned -update` (bump Version
// when it changes what is printed).
func TestLayoutIsPinned(t *testing.T) {
	need(t, "pdftotext")
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, long := range []bool{false, true} {
		var r *Renderer
		name := "layout"
		if long {
			r, name = NewRenderer(longTexts{cat}), "layout-long"
		} else {
			r = NewRenderer(cat)
		}
		for _, f := range []Format{A4, Label} {
			t.Run(fmt.Sprintf("%s/%s", name, f), func(t *testing.T) {
				var b strings.Builder
				for _, lang := range []string{"en", "ru"} {
					s := sample(lang)
					rs := sampleReturn(lang)
					if long {
						// Overlong addresses and values too: each
						// must stay in its box.
						s.Buyer, s.Center = hardAddresses["german"], hardAddresses["cyrillic"]
						rs.Buyer, rs.Seller = hardAddresses["cyrillic"], hardAddresses["german"]
						s.Product = strings.Repeat("Galaxy S25 Ultra 512 GB Titanium ", 8)
						rs.Product = strings.Repeat("Mechanical keyboard, German layout ", 8)
						s.OrderNumber = strings.Repeat("ORD-", 40)
						rs.OrderNumber = s.OrderNumber
					}
					pdf, marks, err := r.render(s, f)
					if err != nil {
						t.Fatal(err)
					}
					writeLayout(t, &b, "claim "+lang, pdf, marks)
					pdf, marks, err = r.renderReturn(rs, f)
					if err != nil {
						t.Fatal(err)
					}
					writeLayout(t, &b, "return "+lang, pdf, marks)
				}
				compareGolden(t, filepath.Join("testdata", name+"-"+string(f)+".txt"), b.String())
			})
		}
	}
}

// writeLayout writes one rendered page: its shapes, then its words in the
// order pdftotext reads them, each as x0 y0 x1 y1 in mm.
func writeLayout(t *testing.T, b *strings.Builder, title string, pdf []byte, marks []Rect) {
	t.Helper()
	mm := func(pt float64) float64 { return pt * 25.4 / 72 }
	fmt.Fprintf(b, "== %s\n", title)
	for _, m := range marks {
		fmt.Fprintf(b, "shape %.1f %.1f %.1f %.1f\n", m.X, m.Y, m.X+m.W, m.Y+m.H)
	}
	for _, w := range textBoxes(t, pdf).Words {
		fmt.Fprintf(b, "%.1f %.1f %.1f %.1f %s\n", mm(w.XMin), mm(w.YMin), mm(w.XMax), mm(w.YMax), w.Text)
	}
}

// compareGolden fails with the first differing line when got is not the
// golden file's text, or rewrites the file under -update.
func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got == string(want) {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("%s line %d: got %q, want %q (the layout changed: if on purpose, rerun with -update)", path, i+1, gl, wl)
		}
	}
}
