package slip

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// textDrawer is a drawer on an empty A4 page with the slip's font at size
// points, for measuring and laying out text.
func textDrawer(t *testing.T, size float64) *drawer {
	t.Helper()
	pdf, err := newDocument(A4, "test", "test")
	if err != nil {
		t.Fatal(err)
	}
	pdf.AddPage()
	d := &drawer{pdf: pdf}
	d.font(size, false)
	return d
}

// TestWrapAtTheLineWidth: a text exactly as wide as the line stays on one
// line, one character more breaks between words, a word wider than the
// line is cut into the longest pieces that fit, and a line too narrow for
// any character still takes one character a line. Latin, Cyrillic and a
// long German word.
func TestWrapAtTheLineWidth(t *testing.T) {
	d := textDrawer(t, 10)
	width := d.pdf.GetStringWidth
	german := "Donaudampfschifffahrtsgesellschaft"
	for _, c := range []struct {
		name string
		text string
		w    float64
		want []string
	}{
		{"exact fit", "alpha beta", width("alpha beta"), []string{"alpha beta"}},
		{"one over", "alpha betas", width("alpha beta"), []string{"alpha", "betas"}},
		{"cyrillic exact fit", "Большая Семёновская", width("Большая Семёновская"), []string{"Большая Семёновская"}},
		{"cyrillic one over", "Большая Семёновская", width("Большая Семёновска"), []string{"Большая", "Семёновская"}},
		{"a word exactly the line", "Straße " + german, width(german), []string{"Straße", german}},
		{"a word wider than the line", german, width("Donaudampf"), []string{"Donaudampf", "schifffahrtsg", "esellschaft"}},
		{"cyrillic word wider than the line", "Преображенская", width("Преобра"), []string{"Преобра", "женска", "я"}},
		{"hard line breaks", "a b\nc", 100, []string{"a b", "c"}},
		{"no room at all", "abc", 0, []string{"a", "b", "c"}},
	} {
		got := d.wrap(c.text, c.w)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: wrap(%q, %.3f) = %q, want %q", c.name, c.text, c.w, got, c.want)
		}
		for _, l := range got {
			if width(l) > c.w && len([]rune(l)) > 1 {
				t.Errorf("%s: line %q is %.3f mm wide, over %.3f", c.name, l, width(l), c.w)
			}
		}
	}
}

// TestCutKeepsTheLongestPrefixThatFits: cut's piece is exactly as wide as
// the room when it can be, never wider, never empty, never splits a rune.
func TestCutKeepsTheLongestPrefixThatFits(t *testing.T) {
	d := textDrawer(t, 10)
	width := d.pdf.GetStringWidth
	for _, c := range []struct {
		s    string
		w    float64
		want string
	}{
		{"alphabet", width("alpha"), "alpha"},
		{"alphabet", width("alpha") - 0.01, "alph"},
		{"alphabet", width("alphabet"), "alphabet"},
		{"alphabet", 1000, "alphabet"},
		{"alphabet", 0, "a"},
		{"Семёновская", width("Семё"), "Семё"},
		{"Семёновская", 0, "С"},
	} {
		if got := d.cut(c.s, c.w); got != c.want {
			t.Errorf("cut(%q, %.3f) = %q, want %q", c.s, c.w, got, c.want)
		}
	}
}

// TestLayPlacesLinesAndGaps: lay's lines start at the block's corner, one
// line height (size × leading) apart, the text indented by the paragraph's
// indent and wrapped to the width left of it, the prefix on the first line
// only, the gap after a paragraph scaled as its size; the block fits when
// its lines end exactly at its bottom, not when they end below.
func TestLayPlacesLinesAndGaps(t *testing.T) {
	d := textDrawer(t, 10)
	d.font(10, false)
	// At full scale "one two" fits the indented width exactly.
	w := d.pdf.GetStringWidth("one two")
	const indent = 7.0
	r := Rect{X: 20, Y: 30, W: w + indent, H: 100}
	ps := []para{
		{text: "one two three", size: 10, prefix: "1.", indent: indent, gap: 2},
		{text: "four", size: 10},
	}
	for _, scale := range []float64{1, 0.5} {
		size := 10 * scale
		lh := size * leading
		lines, fits := d.lay(r, ps, scale)
		var want []line
		if scale == 1 {
			y2 := 30 + lh + lh + 2
			want = []line{
				{x: 20, y: 30, w: indent, size: size, text: "1."},
				{x: 20 + indent, y: 30, w: w, size: size, text: "one two"},
				{x: 20 + indent, y: 30 + lh, w: w, size: size, text: "three"},
				{x: 20, y: y2, w: w + indent, size: size, text: "four"},
			}
		} else {
			y2 := 30 + lh + 2*scale
			want = []line{
				{x: 20, y: 30, w: indent, size: size, text: "1."},
				{x: 20 + indent, y: 30, w: w, size: size, text: "one two three"},
				{x: 20, y: y2, w: w + indent, size: size, text: "four"},
			}
		}
		if !fits || !reflect.DeepEqual(lines, want) {
			t.Errorf("scale %v: lay = %+v, %v; want %+v, true", scale, lines, fits, want)
		}
	}

	// Two lines of 10 pt: the block fits a place exactly their height.
	two := []para{{text: "one\ntwo", size: 10}}
	h := 10*leading + 10*leading
	if _, fits := d.lay(Rect{X: 0, Y: 10, W: 50, H: h}, two, 1); !fits {
		t.Errorf("two lines do not fit a place of exactly their height %.4f mm", h)
	}
	if _, fits := d.lay(Rect{X: 0, Y: 10, W: 50, H: h - 0.01}, two, 1); fits {
		t.Errorf("two lines fit a place 0.01 mm lower than their height")
	}
}

// TestBlockShrinksToHalfSizeBeforeCutting: a text that fits its place only
// at half size is printed whole at half size, with no "…"; one that does
// not fit at half size is cut with "…".
func TestBlockShrinksToHalfSizeBeforeCutting(t *testing.T) {
	need(t, "pdftotext")
	words := strings.Fields("Schwarzenberger Hohenlohe Преображенская Константиновна Obergiesing Fasangarten")
	text := strings.Join(words, " ")
	// The place: as wide as the longest word at 5 pt and as high as the
	// text's lines at 5 pt, so that it fits at half of 10 pt and no larger.
	d := textDrawer(t, 5)
	var w float64
	for _, word := range words {
		w = max(w, d.pdf.GetStringWidth(word))
	}
	lines, _ := d.lay(Rect{W: w, H: 1000}, []para{{text: text, size: 5}}, 1)
	h := float64(len(lines)) * 5 * leading
	for _, c := range []struct {
		h       float64
		whole   bool
		lastSz  float64
		printed int
	}{
		{h, true, 5, len(words)},
		{h - 5*leading, false, 5, len(words) - 1},
	} {
		d := textDrawer(t, 10)
		d.block(Rect{X: 10, Y: 10, W: w, H: c.h}, para{text: text, size: 10})
		var buf strings.Builder
		if err := d.pdf.Output(&buf); err != nil {
			t.Fatal(err)
		}
		pg := textBoxes(t, []byte(buf.String()))
		got := strings.Fields(strings.Join(func() []string {
			var s []string
			for _, w := range pg.Words {
				s = append(s, w.Text)
			}
			return s
		}(), " "))
		cut := strings.HasSuffix(strings.Join(got, " "), "…")
		if len(got) != c.printed || cut == c.whole {
			t.Errorf("place %.2f mm high: printed %q, want %d words, cut %v", c.h, got, c.printed, !c.whole)
		}
	}
}

// TestTrimKeepsTheLinesInside: trim keeps the lines that end inside the
// place (one ending exactly at its bottom included), ends the last kept
// line with "…" within the line's width, and keeps nothing when no line
// fits.
func TestTrimKeepsTheLinesInside(t *testing.T) {
	d := textDrawer(t, 10)
	lh := 10 * leading
	mk := func(texts ...string) []line {
		var out []line
		for i, s := range texts {
			out = append(out, line{x: 0, y: 10 + float64(i)*lh, w: 60, size: 10, text: s})
		}
		return out
	}
	r := Rect{X: 0, Y: 10, W: 60, H: 2 * lh}
	got := d.trim(r, mk("one", "two", "three"))
	if want := []string{"one", "two…"}; len(got) != 2 || got[0].text != want[0] || got[1].text != want[1] {
		t.Errorf("trim = %+v, want the lines %q", got, want)
	}
	if got := d.trim(r, mk("one", "two")); len(got) != 2 || got[1].text != "two…" {
		t.Errorf("trim of lines that all fit = %+v, want both, the last marked", got)
	}
	if got := d.trim(Rect{X: 0, Y: 10, W: 60, H: lh - 0.01}, mk("one")); len(got) != 0 {
		t.Errorf("trim in a place lower than a line = %+v, want nothing", got)
	}

	// The last line with "…" exactly as wide as the line keeps all its
	// text; one character narrower loses a character.
	d.font(10, false)
	full := d.pdf.GetStringWidth("Seméno…")
	l := []line{{x: 0, y: 10, w: full, size: 10, text: "Seméno"}, {x: 0, y: 10 + lh, w: full, size: 10, text: "x"}}
	if got := d.trim(Rect{X: 0, Y: 10, W: full, H: lh}, l); len(got) != 1 || got[0].text != "Seméno…" {
		t.Errorf("trim = %+v, want \"Seméno…\"", got)
	}
	l[0].w = full - 0.01
	if got := d.trim(Rect{X: 0, Y: 10, W: full, H: lh}, l); len(got) != 1 || got[0].text != "Semén…" {
		t.Errorf("trim = %+v, want \"Semén…\"", got)
	}
}

// justUnder returns the place height h whose h+1e-9 is exactly total: the
// edge of the 1e-9 mm tolerance lay and trim give rounding.
func justUnder(t *testing.T, total float64) float64 {
	t.Helper()
	h := total - 1e-9
	for i := 0; i < 1000 && h+1e-9 != total; i++ {
		if h+1e-9 < total {
			h = math.Nextafter(h, math.Inf(1))
		} else {
			h = math.Nextafter(h, math.Inf(-1))
		}
	}
	if h+1e-9 != total {
		t.Fatalf("no height ends exactly 1e-9 mm under %v", total)
	}
	return h
}

// TestToleranceEdgeIsInside: lines that end below the place by exactly
// the 1e-9 mm rounding tolerance count as inside, for lay and for trim.
func TestToleranceEdgeIsInside(t *testing.T) {
	d := textDrawer(t, 10)
	two := []para{{text: "one\ntwo", size: 10}}
	lines, _ := d.lay(Rect{X: 0, Y: 10, W: 50, H: 100}, two, 1)
	end := lines[1].y + lines[1].size*leading
	h := justUnder(t, end-10)
	if _, fits := d.lay(Rect{X: 0, Y: 10, W: 50, H: h}, two, 1); !fits {
		t.Errorf("lines ending 1e-9 mm below a %v mm place do not fit", h)
	}
	r := Rect{X: 0, Y: 0, W: 50, H: justUnder(t, end)}
	if r.Bottom()+1e-9 != end {
		t.Skip("the bottom does not land on the tolerance's edge")
	}
	if got := d.trim(r, lines); len(got) != 2 {
		t.Errorf("trim dropped a line ending 1e-9 mm below the place: %+v", got)
	}
}
