package slip

import (
	"math"
	"testing"

	"github.com/boombuler/barcode/code128"
)

// TestBarcodeStartsOnTheDotAtX: asked to start at an x that is already on
// a printer dot, the barcode's quiet zone starts there, not one dot later;
// an x between dots moves to the next dot. Its width is the code's modules
// and both quiet zones, in whole dots.
func TestBarcodeStartsOnTheDotAtX(t *testing.T) {
	s := sample("en")
	for _, c := range []struct{ x, want float64 }{
		{80 * dot, 80 * dot},
		{33 * dot, 33 * dot},
		{80*dot + 0.01, 81 * dot},
	} {
		d := &drawer{pdf: newLabelPDF(), s: s}
		d.pdf.AddUTF8FontFromBytes("dejavu", "", regularFont)
		d.pdf.AddPage()
		w := d.barcode(c.x, 10, 2, 10)
		if len(d.marks) != 1 || math.Abs(d.marks[0].X-c.want) > 1e-9 {
			t.Errorf("barcode at x=%.6f mm drawn at %+v, want x=%.6f", c.x, d.marks, c.want)
		}
		bc, err := code128.Encode(s.Code)
		if err != nil {
			t.Fatal(err)
		}
		want := float64(bc.Bounds().Dx()+2*quietModules) * 2 * dot
		if math.Abs(w-want) > 1e-9 || math.Abs(d.marks[0].W-want) > 1e-9 {
			t.Errorf("barcode %.3f mm wide (shape %.3f), want %.3f: %d modules and two quiet zones of %d, 2 dots each",
				w, d.marks[0].W, want, bc.Bounds().Dx(), quietModules)
		}
	}
}

// TestReadTakesTheCodeAfterALeadingSlash: a scanner that sends the path
// alone ("/" then the code) reads the same as the bare code.
func TestReadTakesTheCodeAfterALeadingSlash(t *testing.T) {
	sig := NewSigner("test-secret-test-secret-test-secret", "https://rma.example.com")
	if got, p := sig.Read("/" + sig.Code(sampleRMA)); got != sampleRMA || p != "" {
		t.Errorf("Read(/code) = %q, %q; want %q", got, p, sampleRMA)
	}
	if got, p := sig.ReadDispute("/" + sig.DisputeCode("DSP-7KQ4M2XR")); got != "DSP-7KQ4M2XR" || p != "" {
		t.Errorf("ReadDispute(/code) = %q, %q; want DSP-7KQ4M2XR", got, p)
	}
}
