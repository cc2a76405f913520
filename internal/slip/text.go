package slip

import (
	"strings"
	"unicode/utf8"
)

// Rect is a place on the page, in mm from the top left corner.
type Rect struct{ X, Y, W, H float64 }

// Bottom is the rectangle's lower edge.
func (r Rect) Bottom() float64 { return r.Y + r.H }

// Overlaps reports whether the two rectangles share more than an edge.
func (r Rect) Overlaps(o Rect) bool {
	return r.X < o.X+o.W && o.X < r.X+r.W && r.Y < o.Y+o.H && o.Y < r.Y+r.H
}

// leading is a line's height over its font size: points to mm (0.3528)
// times 1.28, which leaves room for DejaVu's ascent and descent (1.164 em)
// so that the lines of a paragraph never touch.
const leading = 0.45

// minScale is how far a text block shrinks to fit its place before lines
// are dropped: a block never prints below half its size.
const minScale = 0.5

// para is one paragraph of a text block.
type para struct {
	text   string
	size   float64 // font size in points at full scale
	bold   bool
	prefix string  // a hanging label ("1.") printed left of the text
	indent float64 // mm from the block's left edge where the text starts
	gap    float64 // mm left blank after the paragraph, at full scale
	center bool
}

// line is one line of text ready to print.
type line struct {
	x, y, w, size float64
	bold, center  bool
	text          string
}

// font selects the slip's font at size points.
func (d *drawer) font(size float64, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont("dejavu", style, size)
}

// wrap breaks s into lines no wider than w mm at the current font, between
// words, and inside a word only when the word alone is wider than w.
func (d *drawer) wrap(s string, w float64) []string {
	var out []string
	for _, hard := range strings.Split(s, "\n") {
		cur := ""
		for _, word := range strings.Fields(hard) {
			next := word
			if cur != "" {
				next = cur + " " + word
			}
			if d.pdf.GetStringWidth(next) <= w {
				cur = next
				continue
			}
			if cur != "" {
				out = append(out, cur)
			}
			cur = word
			for d.pdf.GetStringWidth(cur) > w {
				head := d.cut(cur, w)
				out = append(out, head)
				cur = cur[len(head):]
			}
		}
		if cur != "" {
			out = append(out, cur)
		}
	}
	return out
}

// cut returns the longest prefix of s no wider than w, and at least one
// character.
func (d *drawer) cut(s string, w float64) string {
	_, first := utf8.DecodeRuneInString(s)
	end := first
	for end < len(s) {
		_, n := utf8.DecodeRuneInString(s[end:])
		if d.pdf.GetStringWidth(s[:end+n]) > w {
			break
		}
		end += n
	}
	return s[:end]
}

// lay places the paragraphs in r at scale, top down, and returns the lines
// and whether they all fit.
func (d *drawer) lay(r Rect, ps []para, scale float64) ([]line, bool) {
	var out []line
	y := r.Y
	for _, p := range ps {
		size := p.size * scale
		lh := size * leading
		d.font(size, p.bold)
		x, w := r.X+p.indent, r.W-p.indent
		for i, text := range d.wrap(p.text, w) {
			if i == 0 && p.prefix != "" {
				out = append(out, line{x: r.X, y: y, w: p.indent, size: size, bold: p.bold, text: p.prefix})
			}
			out = append(out, line{x: x, y: y, w: w, size: size, bold: p.bold, center: p.center, text: text})
			y += lh
		}
		y += p.gap * scale
	}
	return out, y-r.Y <= r.H+1e-9
}

// block prints the paragraphs inside r: at full size when they fit, else
// smaller down to half size, and at half size as many lines as fit, the
// last one ending in "…". Nothing it prints leaves r.
func (d *drawer) block(r Rect, ps ...para) {
	var lines []line
	fits := false
	for scale := 1.0; scale >= minScale-1e-9 && !fits; scale -= 0.05 {
		lines, fits = d.lay(r, ps, scale)
	}
	if !fits {
		lines = d.trim(r, lines)
	}
	for _, l := range lines {
		d.print(l)
	}
}

// trim keeps the lines that end inside r and marks the cut with "…".
func (d *drawer) trim(r Rect, lines []line) []line {
	n := 0
	for n < len(lines) && lines[n].y+lines[n].size*leading <= r.Bottom()+1e-9 {
		n++
	}
	lines = lines[:n]
	if n > 0 {
		last := &lines[n-1]
		d.font(last.size, last.bold)
		text := last.text
		for text != "" && d.pdf.GetStringWidth(text+"…") > last.w {
			_, size := utf8.DecodeLastRuneInString(text)
			text = text[:len(text)-size]
		}
		last.text = strings.TrimRight(text, " ") + "…"
	}
	return lines
}

// print draws one line: its glyphs sit inside the line's box, the
// baseline at the box's top plus DejaVu's ascent and half the spare room.
func (d *drawer) print(l line) {
	d.font(l.size, l.bold)
	em := l.size * 25.4 / 72
	x := l.x
	if l.center {
		x += (l.w - d.pdf.GetStringWidth(l.text)) / 2
	}
	d.pdf.Text(x, l.y+l.size*leading/2+0.346*em, l.text)
}

// mark notes a drawn shape's place (see drawer.marks).
func (d *drawer) mark(r Rect) { d.marks = append(d.marks, r) }
