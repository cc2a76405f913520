package slip

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"time"

	"github.com/boombuler/barcode/code128"
	"github.com/jung-kurt/gofpdf"
	"github.com/skip2/go-qrcode"
)

//go:embed fonts/DejaVuSans-subset.ttf
var regularFont []byte

//go:embed fonts/DejaVuSans-Bold-subset.ttf
var boldFont []byte

// Version changes whenever the layout changes, so that slips kept from an
// older layout are not served again.
const Version = "3"

// Format is the paper a slip is made for.
type Format string

// The two formats.
const (
	A4    Format = "a4"    // A4 page: instructions, addresses and a cut-out label
	Label Format = "label" // 4x6 inch thermal label for the parcel
)

// ParseFormat reads a format name ("" is A4).
func ParseFormat(s string) (Format, bool) {
	switch Format(s) {
	case "", A4:
		return A4, true
	case Label:
		return Label, true
	}
	return "", false
}

// Party is a name and a postal address.
type Party struct {
	Name    string
	Address []string
}

// Slip is everything printed on a slip.
type Slip struct {
	RMANumber   string
	URL         string // what the QR code holds
	Code        string // the label code, printed under the QR code for typing
	Language    string
	Buyer       Party
	Center      Party
	OrderNumber string
	Product     string
	IMEI        string
	Coverage    string // coverage kind, translated on the slip
	ShipBy      *time.Time
	// TimeZone is the center's zone (an IANA name): the ship-by day is the
	// center's day. Empty is UTC.
	TimeZone string
	// Return makes it the return label: from the center to the buyer, in
	// the buyer's language, without the buyer's packing instructions.
	Return bool
}

// to is who the parcel goes to; from who sends it.
func (s Slip) to() Party {
	if s.Return {
		return s.Buyer
	}
	return s.Center
}

func (s Slip) from() Party {
	if s.Return {
		return s.Center
	}
	return s.Buyer
}

// title is the message key of the document's title.
func (s Slip) title() string {
	if s.Return {
		return "return.title"
	}
	return "slip.title"
}

// Texts gives the slip's words and dates in the slip's language: the
// service's message catalogue (i18n.Catalog) is one.
type Texts interface {
	T(lang, key string, args map[string]any) string
	// Until writes a day as it reads after "send by" in lang.
	Until(lang string, t time.Time, loc *time.Location) string
}

// Renderer draws slips.
type Renderer struct{ texts Texts }

// NewRenderer returns a renderer printing words and dates from texts.
func NewRenderer(texts Texts) *Renderer { return &Renderer{texts: texts} }

// epoch is the creation date written into every slip, so that the same
// slip renders to the same bytes.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Render draws the slip in the format.
func (r *Renderer) Render(s Slip, f Format) ([]byte, error) {
	pdf, _, err := r.render(s, f)
	return pdf, err
}

// render draws the slip and returns, besides the PDF, the places of the
// shapes drawn on it (codes, rules, frame).
func (r *Renderer) render(s Slip, f Format) ([]byte, []Rect, error) {
	pdf, err := newDocument(f, r.texts.T(s.Language, s.title(), nil)+" "+s.RMANumber, "Advanced Buyer Protection")
	if err != nil {
		return nil, nil, fmt.Errorf("render slip: %w", err)
	}
	d := &drawer{pdf: pdf, s: s, t: func(key string) string { return r.texts.T(s.Language, key, nil) }}
	if s.ShipBy != nil {
		loc, err := time.LoadLocation(s.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		d.shipBy = r.texts.Until(s.Language, *s.ShipBy, loc)
	}
	if f == A4 {
		d.a4()
	} else {
		d.label()
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, nil, fmt.Errorf("render slip: %w", err)
	}
	return buf.Bytes(), d.marks, nil
}

// newDocument starts an empty PDF in the format with the slips' settings:
// a fixed creation date (the same slip renders to the same bytes), the
// embedded DejaVu font, and no automatic page breaks.
func newDocument(f Format, title, author string) (*gofpdf.Fpdf, error) {
	var pdf *gofpdf.Fpdf
	switch f {
	case A4:
		pdf = gofpdf.New("P", "mm", "A4", "")
	case Label:
		pdf = newLabelPDF()
	default:
		return nil, fmt.Errorf("unknown format %q", f)
	}
	pdf.SetCreationDate(epoch)
	pdf.SetModificationDate(epoch)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetTitle(title, true)
	pdf.SetAuthor(author, true)
	pdf.AddUTF8FontFromBytes("dejavu", "", regularFont)
	pdf.AddUTF8FontFromBytes("dejavu", "B", boldFont)
	pdf.SetAutoPageBreak(false, 0)
	return pdf, nil
}

// newLabelPDF starts a 4x6 inch document.
func newLabelPDF() *gofpdf.Fpdf {
	return gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", Size: gofpdf.SizeType{Wd: 101.6, Ht: 152.4}})
}

type drawer struct {
	pdf    *gofpdf.Fpdf
	s      Slip
	t      func(string) string
	shipBy string // the ship-by day in the slip's language; empty without one
	// marks are the places of what is drawn besides text (codes, rules,
	// frames), so that tests can check no text runs into them.
	marks []Rect
}

// qr draws the QR code as vector squares at (x, y), size mm wide. Level M
// and vector modules decode at any print resolution.
func (d *drawer) qr(x, y, size float64) {
	q, err := qrcode.New(d.s.URL, qrcode.Medium)
	if err != nil {
		d.pdf.SetError(fmt.Errorf("qr code: %w", err))
		return
	}
	q.DisableBorder = false // keep the 4-module quiet zone
	d.mark(Rect{X: x, Y: y, W: size, H: size})
	bits := q.Bitmap()
	m := size / float64(len(bits))
	d.pdf.SetFillColor(0, 0, 0)
	for row, line := range bits {
		for col := 0; col < len(line); {
			if !line[col] {
				col++
				continue
			}
			run := col
			for run < len(line) && line[run] {
				run++
			}
			// one rectangle per horizontal run keeps the file small
			d.pdf.Rect(x+float64(col)*m, y+float64(row)*m, float64(run-col)*m, m, "F")
			col = run
		}
	}
}

// dot is one dot of a 203 dpi thermal printer, in mm. Barcode modules are a
// whole number of dots and start on a dot, so every bar edge falls on the
// printer's grid and no bar is widened or narrowed by rounding.
const dot = 25.4 / 203

// quietModules is the quiet zone left blank on each side of the barcode.
const quietModules = 10

// barcode draws the signed label code (the same text as the QR code's
// path, "RMA-XXXX-XXXX.SIGNATURE") as Code 128 for scanners that read 1D
// codes, with modules dots printer dots wide, from the dot at or after x,
// with the code printed under it. It returns the width drawn, quiet zones
// included.
func (d *drawer) barcode(x, y float64, dots int, h float64) float64 {
	bc, err := code128.Encode(d.s.Code)
	if err != nil {
		d.pdf.SetError(fmt.Errorf("barcode: %w", err))
		return 0
	}
	m := float64(dots) * dot
	x = math.Ceil(x/dot-1e-9) * dot
	width := bc.Bounds().Dx()
	d.pdf.SetFillColor(0, 0, 0)
	for i := 0; i < width; {
		if r, _, _, _ := bc.At(i, 0).RGBA(); r != 0 {
			i++
			continue
		}
		j := i
		for j < width {
			if r, _, _, _ := bc.At(j, 0).RGBA(); r != 0 {
				break
			}
			j++
		}
		d.pdf.Rect(x+float64(quietModules+i)*m, y, float64(j-i)*m, h, "F")
		i = j
	}
	total := float64(width+2*quietModules) * m
	d.mark(Rect{X: x, Y: y, W: total, H: h})
	d.print(line{x: x, y: y + h + 0.5, w: total, size: 8, center: true, text: d.s.Code})
	return total
}
