package slip

import (
	"bytes"
	"crypto/hmac"
	"fmt"
	"regexp"
	"strings"

	"github.com/jung-kurt/gofpdf"
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
	var pdf *gofpdf.Fpdf
	switch f {
	case A4:
		pdf = gofpdf.New("P", "mm", "A4", "")
	case Label:
		pdf = newLabelPDF()
	default:
		return nil, fmt.Errorf("render return slip: unknown format %q", f)
	}
	t := func(key string) string { return r.t(s.Language, key) }
	pdf.SetCreationDate(epoch)
	pdf.SetModificationDate(epoch)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetTitle(t("return_slip.title")+" "+s.DisputeNumber, true)
	pdf.SetAuthor("Buyer Protection", true)
	pdf.AddUTF8FontFromBytes("dejavu", "", regularFont)
	pdf.AddUTF8FontFromBytes("dejavu", "B", boldFont)
	pdf.SetAutoPageBreak(false, 0)
	// The drawer's codes come from a Slip: the same QR and barcode code.
	d := &drawer{pdf: pdf, s: Slip{URL: s.URL, Code: s.Code}, t: t}
	if f == A4 {
		d.returnA4(s)
	} else {
		d.returnLabel(s)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render return slip: %w", err)
	}
	return buf.Bytes(), nil
}

// returnA4 lays out the A4 page: title, dispute number and codes, the
// buyer and the seller's return address, what follows, the steps, and
// below a dashed line the parcel label.
func (d *drawer) returnA4(s DisputeReturn) {
	p := d.pdf
	p.AddPage()
	const left, width = 15.0, 180.0
	d.text(left, 14, 120, 20, true, d.t("return_slip.title"))
	d.text(left, 24, 120, 9, false, d.t("return_slip.subtitle"))
	d.text(left, 36, 110, 9, false, d.t("return_slip.dispute"))
	d.text(left, 41, 110, 24, true, s.DisputeNumber)
	d.barcode(left-5, 53, 3, 13)
	d.qr(155, 12, 40)
	d.text(150, 53, 50, 7, false, d.t("return_slip.scan"))
	d.text(150, 61, 50, 7, false, s.Code)
	y := 76.0
	yb := d.party(left, y, 85, d.t("slip.from"), s.Buyer, 10)
	ys := d.party(left+95, y, 85, d.t("slip.to"), s.Seller, 10)
	y = max(yb, ys) + 6
	p.SetDrawColor(160, 160, 160)
	p.Line(left, y, left+width, y)
	y += 3
	for _, r := range [][2]string{
		{d.t("slip.order"), s.OrderNumber},
		{d.t("slip.product"), s.Product},
		{d.t("return_slip.refund"), s.Refund},
	} {
		d.text(left, y, 45, 9, true, r[0])
		d.text(left+45, y, width-45, 9, false, r[1])
		y += 5.5
	}
	y += 4
	d.text(left, y, width, 12, true, d.t("return_slip.instructions"))
	y += 7
	for i := 1; i <= 4; i++ {
		d.text(left, y, 8, 9, true, string(rune('0'+i))+".")
		d.text(left+7, y, width-7, 9, false, d.t("return_slip.step"+string(rune('0'+i))))
		y = p.GetY() + 1.5
	}
	const cut = 196.0
	p.SetDashPattern([]float64{2, 2}, 0)
	p.SetDrawColor(0, 0, 0)
	p.Line(8, cut, 202, cut)
	p.SetDashPattern([]float64{}, 0)
	d.text(left, cut+1.5, width, 7, false, "✂ "+d.t("slip.cut"))
	p.Rect(left, cut+8, width, 86, "D")
	d.party(left+5, cut+12, 115, d.t("slip.to"), s.Seller, 13)
	d.party(left+5, cut+40, 115, d.t("slip.from"), s.Buyer, 8)
	d.qr(left+130, cut+11, 45)
	d.text(left+127, cut+57, 53, 7, false, s.Code)
	d.text(left+5, cut+60, 110, 18, true, s.DisputeNumber)
	d.barcode(left, cut+70, 3, 13)
}

// returnLabel lays out the 4x6 inch label: the seller's return address
// large, the buyer's small, the dispute number and both codes.
func (d *drawer) returnLabel(s DisputeReturn) {
	p := d.pdf
	p.AddPage()
	const left, width = 5.0, 91.6
	d.party(left, 5, width, d.t("slip.to"), s.Seller, 13)
	p.SetDrawColor(0, 0, 0)
	p.Line(left, 42, left+width, 42)
	d.party(left, 45, width, d.t("slip.from"), s.Buyer, 8)
	p.Line(left, 70, left+width, 70)
	d.text(left, 73, width, 8, false, d.t("return_slip.dispute"))
	d.text(left, 78, width, 18, true, s.DisputeNumber)
	d.qr(left, 90, 42)
	d.text(left+45, 92, width-45, 7, false, d.t("return_slip.scan"))
	d.text(left+45, 100, width-45, 7, false, s.Code)
	d.barcode(left+4, 130, 2, 14)
}

// Page returns the public address of a path of this service, for links in
// letters.
func (s Signer) Page(path string) string { return s.baseURL + path }
