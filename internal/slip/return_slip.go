package slip

import (
	"bytes"
	"crypto/hmac"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// DisputeReturn is the slip a buyer sends an item back to its seller with
// when a dispute ends in a return: QR-labelled with the dispute's signed
// code, addressed to the seller's return address, in the buyer's language.
type DisputeReturn struct {
	DisputeNumber string
	URL           string // what the QR code holds
	Code          string // the signed code, also as Code 128
	Language      string
	Buyer, Seller Party
	OrderNumber   string
	Product       string
	// Refund is the amount refunded once the seller has the item, as the
	// buyer's language writes it.
	Refund string
}

// returnSigned is what a dispute's return code signs: never the text of an
// RMA number, so neither code can stand for the other.
func returnSigned(number string) string { return "return:" + number }

// DisputeCode returns the signed code of a dispute's return slip:
// "DSP-7KQ4M2XR.0F3K9QZ2AB".
func (s Signer) DisputeCode(number string) string {
	return number + "." + signWith(s.secret, returnSigned(number))
}

// DisputeURL returns what a return slip's QR code holds: {base_url}/r/{code}.
func (s Signer) DisputeURL(number string) string { return s.baseURL + "/r/" + s.DisputeCode(number) }

var disputeNumber = regexp.MustCompile(`^DSP-[A-Z0-9]{8}$`)

// ReadDispute takes what a scanner or a phone read from a return slip (the
// URL or the bare code) and returns the dispute number when the signature
// is ours.
func (s Signer) ReadDispute(text string) (string, Problem) {
	text = strings.TrimSpace(text)
	if i := strings.LastIndex(text, "/"); i >= 0 {
		text = text[i+1:]
	}
	text = strings.ToUpper(strings.TrimSpace(text))
	number, sig, hasSig := strings.Cut(text, ".")
	switch {
	case !disputeNumber.MatchString(number):
		return "", Unreadable
	case !hasSig || len(sig) < sigLen:
		return "", Incomplete
	case len(sig) > sigLen:
		return "", Forged
	}
	sig = strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(sig)
	for _, secret := range append([][]byte{s.secret}, s.previous...) {
		if hmac.Equal([]byte(sig), []byte(signWith(secret, returnSigned(number)))) {
			return number, ""
		}
	}
	return "", Forged
}

// RenderReturn draws a dispute's return slip in the format.
func (r *Renderer) RenderReturn(s DisputeReturn, f Format) ([]byte, error) {
	pdf, _, err := r.renderReturn(s, f)
	return pdf, err
}

// renderReturn draws the return slip and returns, besides the PDF, the
// places of the shapes drawn on it (codes, rules, frame).
func (r *Renderer) renderReturn(s DisputeReturn, f Format) ([]byte, []Rect, error) {
	t := func(key string) string { return r.texts.T(s.Language, key, nil) }
	pdf, err := newDocument(f, t("return_slip.title")+" "+s.DisputeNumber, "Buyer Protection")
	if err != nil {
		return nil, nil, fmt.Errorf("render return slip: %w", err)
	}
	// The drawer's codes come from a Slip: the same QR and barcode code.
	d := &drawer{pdf: pdf, s: Slip{URL: s.URL, Code: s.Code}, t: t}
	if f == A4 {
		d.returnA4(s)
	} else {
		d.returnLabel(s)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, nil, fmt.Errorf("render return slip: %w", err)
	}
	return buf.Bytes(), d.marks, nil
}

// returnA4 lays out the A4 page as the claim slip's (a4): title, dispute
// number and codes, the buyer and the seller's return address, what is
// refunded, the steps, and below a dashed line the parcel label. Every
// text has a box of its own.
func (d *drawer) returnA4(s DisputeReturn) {
	p := d.pdf
	p.AddPage()
	const left, width = 15.0, 180.0
	const right = left + width
	d.block(Rect{X: left, Y: 12, W: 130, H: 10}, para{text: d.t("return_slip.title"), size: 20, bold: true})
	d.block(Rect{X: left, Y: 23, W: 130, H: 9}, para{text: d.t("return_slip.subtitle"), size: 9})
	d.block(Rect{X: left, Y: 33, W: 130, H: 4.5}, para{text: d.t("return_slip.dispute"), size: 9})
	d.block(Rect{X: left, Y: 38, W: 130, H: 12}, para{text: s.DisputeNumber, size: 26, bold: true})
	d.qr(155, 12, 40)
	d.block(Rect{X: 150, Y: 53, W: 45, H: 7}, para{text: d.t("return_slip.scan"), size: 7})
	d.barcode(left-5, 52, 3, 13)

	const top = 74.0
	d.block(Rect{X: left, Y: top, W: 85, H: 36}, party(d.t("slip.from"), 8, s.Buyer, 10)...)
	d.block(Rect{X: left + 95, Y: top, W: 85, H: 36}, party(d.t("slip.to"), 8, s.Seller, 10)...)
	p.SetDrawColor(160, 160, 160)
	d.rule(left, right, top+38)

	y := top + 40
	for _, r := range [][2]string{
		{d.t("slip.order"), s.OrderNumber},
		{d.t("slip.product"), s.Product},
		{d.t("return_slip.refund"), s.Refund},
	} {
		d.block(Rect{X: left, Y: y, W: 44, H: 5}, para{text: r[0], size: 9, bold: true})
		d.block(Rect{X: left + 45, Y: y, W: width - 45, H: 5}, para{text: r[1], size: 9})
		y += 5.5
	}

	const cut = 196.0
	y += 3
	ps := []para{{text: d.t("return_slip.instructions"), size: 12, bold: true, gap: 2}}
	for i := 1; i <= 4; i++ {
		n := strconv.Itoa(i)
		ps = append(ps, para{text: d.t("return_slip.step" + n), size: 9, prefix: n + ".", indent: 7, gap: 1.5})
	}
	d.block(Rect{X: left, Y: y, W: width, H: cut - 3 - y}, ps...)

	box := d.cutOut(left, width, cut)
	d.block(Rect{X: left + 5, Y: box + 3, W: 120, H: 30}, party(d.t("slip.to"), 8, s.Seller, 13)...)
	d.block(Rect{X: left + 5, Y: box + 34, W: 120, H: 17}, party(d.t("slip.from"), 7, s.Buyer, 8)...)
	d.qr(left+130, box+3, 45)
	d.block(Rect{X: left + 127, Y: box + 49, W: 51, H: 4}, para{text: s.Code, size: 7, center: true})
	d.block(Rect{X: left + 5, Y: box + 53, W: 120, H: 9}, para{text: s.DisputeNumber, size: 20, bold: true})
	d.barcode(left, box+64, 3, 13)
}

// returnLabel lays out the 4x6 inch label as the claim's (label): the
// seller's return address large, the buyer's small, the dispute number and
// both codes.
func (d *drawer) returnLabel(s DisputeReturn) {
	p := d.pdf
	p.AddPage()
	const left, width = 5.0, 91.6
	const right = left + width
	p.SetDrawColor(0, 0, 0)
	d.block(Rect{X: left, Y: 4, W: width, H: 37}, party(d.t("slip.to"), 8, s.Seller, 13)...)
	d.rule(left, right, 42)
	d.block(Rect{X: left, Y: 44, W: width, H: 24}, party(d.t("slip.from"), 7, s.Buyer, 8)...)
	d.rule(left, right, 69)
	d.block(Rect{X: left, Y: 71, W: width, H: 4}, para{text: d.t("return_slip.dispute"), size: 8})
	d.block(Rect{X: left, Y: 76, W: width, H: 10}, para{text: s.DisputeNumber, size: 20, bold: true})
	d.qr(left, 87, 40)
	const side = left + 42 // the column right of the QR code
	d.block(Rect{X: side, Y: 90, W: right - side, H: 7}, para{text: d.t("return_slip.scan"), size: 7})
	d.block(Rect{X: side, Y: 98, W: right - side, H: 8}, para{text: s.Code, size: 7})
	d.barcode(left+4, 131, 2, 14)
}

// Page returns the public address of a path of this service, for links in
// letters.
func (s Signer) Page(path string) string { return s.baseURL + path }
