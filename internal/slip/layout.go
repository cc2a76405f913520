package slip

// a4 lays out the A4 page: title, RMA number and codes, addresses, claim
// details, packing instructions, and below a dashed line the parcel label.
func (d *drawer) a4() {
	p := d.pdf
	p.AddPage()
	const left, width = 15.0, 180.0
	d.text(left, 14, 120, 20, true, d.t(d.s.title()))
	if d.s.Return {
		d.text(left, 24, 120, 9, false, d.t("return.subtitle"))
	} else {
		d.text(left, 24, 120, 9, false, d.t("slip.subtitle"))
	}
	d.text(left, 36, 110, 9, false, d.t("slip.rma"))
	d.text(left, 41, 110, 26, true, d.s.RMANumber)
	d.barcode(left-5, 53, 3, 13)
	d.qr(155, 12, 40)
	d.text(150, 53, 50, 7, false, d.t("slip.scan"))
	d.text(150, 61, 50, 7, false, d.s.Code)

	y := 76.0
	yb := d.party(left, y, 85, d.t("slip.from"), d.s.from(), 10)
	yc := d.party(left+95, y, 85, d.t("slip.to"), d.s.to(), 10)
	y = max(yb, yc) + 6

	p.SetDrawColor(160, 160, 160)
	p.Line(left, y, left+width, y)
	y += 3
	rows := [][2]string{
		{d.t("slip.order"), d.s.OrderNumber},
		{d.t("slip.product"), d.s.Product},
		{d.t("slip.imei"), d.s.IMEI},
		{d.t("slip.coverage"), d.t("coverage." + d.s.Coverage)},
	}
	if !d.s.Return {
		rows = append(rows, [2]string{d.t("slip.ship_by"), d.shipBy()})
	}
	for _, r := range rows {
		d.text(left, y, 45, 9, true, r[0])
		d.text(left+45, y, width-45, 9, false, r[1])
		y += 5.5
	}
	y += 4
	if d.s.Return {
		d.text(left, y, width, 10, false, d.t("return.note"))
	} else {
		d.text(left, y, width, 12, true, d.t("slip.instructions"))
		y += 7
		for i := 1; i <= 6; i++ {
			d.text(left, y, 8, 9, true, string(rune('0'+i))+".")
			d.text(left+7, y, width-7, 9, false, d.t("slip.step"+string(rune('0'+i))))
			y = p.GetY() + 1.5
		}
	}

	// The cut-out label.
	const cut = 196.0
	p.SetDashPattern([]float64{2, 2}, 0)
	p.SetDrawColor(0, 0, 0)
	p.Line(8, cut, 202, cut)
	p.SetDashPattern([]float64{}, 0)
	d.text(left, cut+1.5, width, 7, false, "✂ "+d.t("slip.cut"))
	p.Rect(left, cut+8, width, 86, "D")
	d.party(left+5, cut+12, 115, d.t("slip.to"), d.s.to(), 13)
	d.party(left+5, cut+40, 115, d.t("slip.from"), d.s.from(), 8)
	d.qr(left+130, cut+11, 45)
	d.text(left+127, cut+57, 53, 7, false, d.s.Code)
	d.text(left+5, cut+60, 110, 20, true, d.s.RMANumber)
	d.barcode(left, cut+70, 3, 13)
}

// label lays out the 4x6 inch thermal label: the center's address large,
// the RMA number, the QR code and the barcode.
func (d *drawer) label() {
	p := d.pdf
	p.AddPage()
	const left, width = 5.0, 91.6
	d.party(left, 5, width, d.t("slip.to"), d.s.to(), 13)
	p.SetDrawColor(0, 0, 0)
	p.Line(left, 42, left+width, 42)
	d.party(left, 45, width, d.t("slip.from"), d.s.from(), 8)
	p.Line(left, 70, left+width, 70)
	d.text(left, 73, width, 8, false, d.t("slip.rma"))
	d.text(left, 78, width, 20, true, d.s.RMANumber)
	d.qr(left, 90, 42)
	d.text(left+45, 92, width-45, 7, false, d.t("slip.scan"))
	d.text(left+45, 100, width-45, 7, false, d.s.Code)
	if !d.s.Return {
		d.text(left+45, 110, width-45, 7, false, d.t("slip.ship_by")+": "+d.shipBy())
	}
	d.barcode(left+4, 130, 2, 14)
}
