package slip

import (
	"strconv"
	"strings"
)

// Every text is printed inside a box of its own (drawer.block shrinks it,
// and at worst shortens it, to fit), and the boxes, codes and rules of a
// page do not overlap: an address of any length stays in its place.

// party is a party's paragraphs: a heading, the name in bold and the
// address. An address whose first line is the name (as shops often write
// it) prints the name once.
func party(heading string, headingSize float64, p Party, size float64) []para {
	ps := []para{{text: heading, size: headingSize, bold: true, gap: 0.6}, {text: p.Name, size: size, bold: true}}
	addr := p.Address
	if len(addr) > 0 && sameName(addr[0], p.Name) {
		addr = addr[1:]
	}
	for _, l := range addr {
		ps = append(ps, para{text: l, size: size})
	}
	return ps
}

// sameName compares two names as a reader would: case and spacing aside.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// rule draws a horizontal line from x1 to x2 at y.
func (d *drawer) rule(x1, x2, y float64) {
	d.pdf.Line(x1, y, x2, y)
	d.mark(Rect{X: x1, Y: y, W: x2 - x1})
}

// a4 lays out the A4 page: title, RMA number and codes, addresses, claim
// details, packing instructions, and below a dashed line the parcel label.
func (d *drawer) a4() {
	p := d.pdf
	p.AddPage()
	const left, width = 15.0, 180.0
	const right = left + width
	subtitle := "slip.subtitle"
	if d.s.Return {
		subtitle = "return.subtitle"
	}
	// Head: title, subtitle and RMA number left of the QR code, the
	// barcode under them.
	d.block(Rect{X: left, Y: 12, W: 130, H: 10}, para{text: d.t(d.s.title()), size: 20, bold: true})
	d.block(Rect{X: left, Y: 23, W: 130, H: 9}, para{text: d.t(subtitle), size: 9})
	d.block(Rect{X: left, Y: 33, W: 130, H: 4.5}, para{text: d.t("slip.rma"), size: 9})
	d.block(Rect{X: left, Y: 38, W: 130, H: 12}, para{text: d.s.RMANumber, size: 26, bold: true})
	d.qr(155, 12, 40)
	d.block(Rect{X: 150, Y: 53, W: 45, H: 7}, para{text: d.t("slip.scan"), size: 7})
	d.barcode(left-5, 52, 3, 13)

	// Addresses side by side.
	const top = 74.0
	d.block(Rect{X: left, Y: top, W: 85, H: 36}, party(d.t("slip.from"), 8, d.s.from(), 10)...)
	d.block(Rect{X: left + 95, Y: top, W: 85, H: 36}, party(d.t("slip.to"), 8, d.s.to(), 10)...)
	p.SetDrawColor(160, 160, 160)
	d.rule(left, right, top+38)

	// Claim details, one row each.
	rows := [][2]string{
		{d.t("slip.order"), d.s.OrderNumber},
		{d.t("slip.product"), d.s.Product},
		{d.t("slip.imei"), d.s.IMEI},
		{d.t("slip.coverage"), d.t("coverage." + d.s.Coverage)},
	}
	if !d.s.Return {
		rows = append(rows, [2]string{d.t("slip.ship_by"), d.shipByText()})
	}
	y := top + 40
	for _, r := range rows {
		d.block(Rect{X: left, Y: y, W: 44, H: 5}, para{text: r[0], size: 9, bold: true})
		d.block(Rect{X: left + 45, Y: y, W: width - 45, H: 5}, para{text: r[1], size: 9})
		y += 5.5
	}

	// Instructions (or the return's note) down to the cut line.
	const cut = 196.0
	y += 3
	if d.s.Return {
		d.block(Rect{X: left, Y: y, W: width, H: cut - 3 - y}, para{text: d.t("return.note"), size: 10})
	} else {
		ps := []para{{text: d.t("slip.instructions"), size: 12, bold: true, gap: 2}}
		for i := 1; i <= 6; i++ {
			n := strconv.Itoa(i)
			ps = append(ps, para{text: d.t("slip.step" + n), size: 9, prefix: n + ".", indent: 7, gap: 1.5})
		}
		d.block(Rect{X: left, Y: y, W: width, H: cut - 3 - y}, ps...)
	}

	// The cut-out label: the receiver large, the sender small, the RMA
	// number, and the codes on the right and at the bottom.
	box := d.cutOut(left, width, cut)
	d.block(Rect{X: left + 5, Y: box + 3, W: 120, H: 30}, party(d.t("slip.to"), 8, d.s.to(), 13)...)
	d.block(Rect{X: left + 5, Y: box + 34, W: 120, H: 17}, party(d.t("slip.from"), 7, d.s.from(), 8)...)
	d.qr(left+130, box+3, 45)
	d.block(Rect{X: left + 127, Y: box + 49, W: 51, H: 4}, para{text: d.s.Code, size: 7, center: true})
	d.block(Rect{X: left + 5, Y: box + 53, W: 120, H: 9}, para{text: d.s.RMANumber, size: 20, bold: true})
	d.barcode(left, box+64, 3, 13)
}

// cutOut draws the A4 page's dashed cut line at y = cut with its scissors
// note, and the 86 mm high frame of the parcel label below it; it returns
// the frame's top.
func (d *drawer) cutOut(left, width, cut float64) float64 {
	p := d.pdf
	p.SetDashPattern([]float64{2, 2}, 0)
	p.SetDrawColor(0, 0, 0)
	d.rule(8, 202, cut)
	p.SetDashPattern([]float64{}, 0)
	d.block(Rect{X: left, Y: cut + 1.5, W: width, H: 5}, para{text: "✂ " + d.t("slip.cut"), size: 7})
	box := cut + 8
	p.Rect(left, box, width, 86, "D")
	d.mark(Rect{X: left, Y: box, W: width}) // the frame's edges
	d.mark(Rect{X: left, Y: box + 86, W: width})
	d.mark(Rect{X: left, Y: box, H: 86})
	d.mark(Rect{X: left + width, Y: box, H: 86})
	return box
}

// label lays out the 4x6 inch thermal label: the receiver's address large,
// the sender's small, the RMA number, the QR code and the barcode.
func (d *drawer) label() {
	p := d.pdf
	p.AddPage()
	const left, width = 5.0, 91.6
	const right = left + width
	p.SetDrawColor(0, 0, 0)
	d.block(Rect{X: left, Y: 4, W: width, H: 37}, party(d.t("slip.to"), 8, d.s.to(), 13)...)
	d.rule(left, right, 42)
	d.block(Rect{X: left, Y: 44, W: width, H: 24}, party(d.t("slip.from"), 7, d.s.from(), 8)...)
	d.rule(left, right, 69)
	d.block(Rect{X: left, Y: 71, W: width, H: 4}, para{text: d.t("slip.rma"), size: 8})
	d.block(Rect{X: left, Y: 76, W: width, H: 10}, para{text: d.s.RMANumber, size: 20, bold: true})
	d.qr(left, 87, 40)
	const side = left + 42 // the column right of the QR code
	d.block(Rect{X: side, Y: 90, W: right - side, H: 7}, para{text: d.t("slip.scan"), size: 7})
	d.block(Rect{X: side, Y: 98, W: right - side, H: 8}, para{text: d.s.Code, size: 7})
	if !d.s.Return {
		d.block(Rect{X: side, Y: 107, W: right - side, H: 19}, para{text: d.t("slip.ship_by") + " " + d.shipByText(), size: 9, bold: true})
	}
	d.barcode(left+4, 131, 2, 14)
}

// shipByText is the ship-by day in the slip's language, or a dash.
func (d *drawer) shipByText() string {
	if d.shipBy == "" {
		return "–"
	}
	return d.shipBy
}
