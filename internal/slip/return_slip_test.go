package slip

import (
	"bytes"
	"strings"
	"testing"

	"rma/internal/i18n"
)

func sampleReturn(lang string) DisputeReturn {
	sig := NewSigner("test-secret-test-secret-test-secret", "https://rma.example.com")
	return DisputeReturn{DisputeNumber: "DSP-7KQ4M2XR", URL: sig.DisputeURL("DSP-7KQ4M2XR"), Code: sig.DisputeCode("DSP-7KQ4M2XR"),
		Language: lang, Buyer: Party{Name: "Иван Петров", Address: []string{"ул. Ленина 1", "Рига"}},
		Seller:      Party{Name: "Gadgethaus Retouren", Address: []string{"Oranienstr. 25", "10999 Berlin"}},
		OrderNumber: "ORD-2007", Product: "Mechanical keyboard", Refund: "89,00 EUR"}
}

// TestReturnSlipDecodesInEveryLanguage: the return slip's QR code holds the
// dispute's URL and its Code 128 the signed code, on the A4 page, its
// cut-out label and the 4x6 label, in each language, and its text is the
// buyer's language, addressed to the seller.
func TestReturnSlipDecodesInEveryLanguage(t *testing.T) {
	need(t, "pdftoppm", "zbarimg", "pdftotext")
	r := renderer(t)
	cat, _ := i18n.New()
	for _, lang := range i18n.Languages {
		for _, f := range []Format{A4, Label} {
			t.Run(lang+"/"+string(f), func(t *testing.T) {
				s := sampleReturn(lang)
				pdf, err := r.RenderReturn(s, f)
				if err != nil {
					t.Fatal(err)
				}
				var codes []string
				if f == A4 {
					codes = append(decode(t, pdf, "150", 0, 0, 1240, 1150), decode(t, pdf, "150", 0, 1160, 1240, 594)...)
				} else { // the thermal printer's own resolution: 2-dot bars
					codes = decode(t, pdf, "203")
				}
				want := map[string]int{"QR-Code:" + s.URL: 1, "CODE-128:" + s.Code: 1}
				if f == A4 {
					want = map[string]int{"QR-Code:" + s.URL: 2, "CODE-128:" + s.Code: 2}
				}
				got := map[string]int{}
				for _, c := range codes {
					got[c]++
				}
				for c, n := range want {
					if got[c] != n {
						t.Errorf("found %q %d times, want %d: %v", c, got[c], n, codes)
					}
				}
				text := pdfText(t, pdf)
				for _, w := range []string{cat.T(lang, "return_slip.dispute", nil), "Gadgethaus Retouren", "10999 Berlin",
					"Иван Петров", s.DisputeNumber} {
					if !strings.Contains(text, w) {
						t.Errorf("the slip lacks %q:\n%s", w, text)
					}
				}
				if f == A4 && !strings.Contains(text, "89,00 EUR") {
					t.Errorf("the A4 slip does not say what is refunded:\n%s", text)
				}
			})
		}
	}
}

// TestReturnCodesAreSignedApart: a return code reads back to its dispute,
// through its URL, in lower case or with a previous secret; a forged or cut
// signature is refused, and a claim's label code signed for the same text
// is no return code.
func TestReturnCodesAreSignedApart(t *testing.T) {
	old := NewSigner("old-secret-old-secret-old-secret-0", "https://rma.example.com")
	sig := NewSigner("test-secret-test-secret-test-secret", "https://rma.example.com", "old-secret-old-secret-old-secret-0")
	code := sig.DisputeCode("DSP-7KQ4M2XR")
	for _, in := range []string{code, sig.DisputeURL("DSP-7KQ4M2XR"), strings.ToLower(code) + "\n", old.DisputeCode("DSP-7KQ4M2XR")} {
		if n, p := sig.ReadDispute(in); n != "DSP-7KQ4M2XR" || p != "" {
			t.Errorf("%q read as %q %q", in, n, p)
		}
	}
	forged := []byte(code)
	forged[len(forged)-1] ^= 1
	for in, want := range map[string]Problem{string(forged): Forged, code[:len(code)-2]: Incomplete, "DSP-7KQ4M2XR": Incomplete,
		"hello": Unreadable, "DSP-7KQ4M2XR." + signWith(sig.secret, "DSP-7KQ4M2XR"): Forged} {
		if n, p := sig.ReadDispute(in); p != want || n != "" {
			t.Errorf("%q read as %q %q, want %q", in, n, p, want)
		}
	}
	if bytes.Equal([]byte(sig.DisputeCode("DSP-7KQ4M2XR")), []byte(old.DisputeCode("DSP-7KQ4M2XR"))) {
		t.Error("two secrets sign alike")
	}
}

// TestReturnSlipTextsNeverOverlap: the return slip keeps every text in its
// box, clear of the codes, rules and frame, for the hard addresses on either
// side, in every language and format.
func TestReturnSlipTextsNeverOverlap(t *testing.T) {
	need(t, "pdftotext")
	r := renderer(t)
	for name, addr := range hardAddresses {
		for _, lang := range i18n.Languages {
			for _, f := range []Format{A4, Label} {
				t.Run(name+"/"+lang+"/"+string(f), func(t *testing.T) {
					s := sampleReturn(lang)
					s.Buyer, s.Seller = addr, addr
					pdf, marks, err := r.renderReturn(s, f)
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
