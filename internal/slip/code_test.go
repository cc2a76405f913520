package slip

import (
	"strings"
	"testing"
)

func TestReadAcceptsWhatScannersType(t *testing.T) {
	s := NewSigner("a-secret-of-at-least-thirty-two-chars", "https://rma.example.com/")
	rma := sampleRMA
	url := s.URL(rma)
	if !strings.HasPrefix(url, "https://rma.example.com/s/"+rma+".") || len(s.Code(rma)) != len(rma)+1+sigLen {
		t.Fatalf("url %q", url)
	}
	for _, typed := range []string{url, url + "\n", "  " + url + "\r\n", strings.ToLower(url), s.Code(rma),
		strings.ToLower(s.Code(rma)) + "\n", "http://localhost:8080/s/" + s.Code(rma),
		"/" + s.Code(rma), "https://rma.example.com/label/" + s.Code(rma)} { // a path without /s/: the last segment
		got, problem := s.Read(typed)
		if problem != "" || got != rma {
			t.Errorf("Read(%q) = %q, %q", typed, got, problem)
		}
	}
}

func TestReadRefusesForgedAndBrokenCodes(t *testing.T) {
	s := NewSigner("a-secret-of-at-least-thirty-two-chars", "https://rma.example.com")
	other := NewSigner("another-secret-of-at-least-thirty-two", "https://rma.example.com")
	rma := sampleRMA
	code := s.Code(rma)
	flipped := []byte(code)
	last := len(flipped) - 1
	flipped[last] = map[bool]byte{true: 'A', false: 'B'}[flipped[last] != 'A']
	cases := map[string]Problem{
		other.Code(rma):                    Forged,
		string(flipped):                    Forged,
		code + "XYZ":                       Forged,
		code[:len(code)-3]:                 Incomplete,
		rma:                                Incomplete,
		"RMA-7KQ4-M2":                      Incomplete,
		"https://rma.example.com/s/":       Unreadable,
		"":                                 Unreadable,
		"hello world":                      Unreadable,
		"RMA-7KQ4-M2XP." + code[14:]:       Unreadable, // check symbol wrong
		"RMA-7KQ4-M2XR-EXTRA." + code[14:]: Unreadable,
	}
	for typed, want := range cases {
		if got, problem := s.Read(typed); problem != want || got != "" {
			t.Errorf("Read(%q) = %q, %q; want %q", typed, got, problem, want)
		}
	}
}

// wrongCheck returns rma with another check symbol.
func wrongCheck(rma string) string {
	last := rma[len(rma)-1]
	if last == 'A' {
		return rma[:len(rma)-1] + "B"
	}
	return rma[:len(rma)-1] + "A"
}

// After a rotation, labels printed under the previous secret still read;
// new labels carry the new signature; a third secret is still forged.
func TestRotatedSecretStillReadsOldLabels(t *testing.T) {
	old := NewSigner("the-old-secret-of-thirty-two-chars-x", "https://rma.example.com")
	rotated := NewSigner("the-new-secret-of-thirty-two-chars-y", "https://rma.example.com", "the-old-secret-of-thirty-two-chars-x")
	stranger := NewSigner("a-third-secret-of-thirty-two-chars-z", "https://rma.example.com")
	if got, p := rotated.Read(old.URL(sampleRMA)); p != "" || got != sampleRMA {
		t.Errorf("old label after rotation: %q %q", got, p)
	}
	if rotated.Code(sampleRMA) == old.Code(sampleRMA) {
		t.Error("new labels are signed with the previous secret")
	}
	if _, p := old.Read(rotated.Code(sampleRMA)); p != Forged {
		t.Errorf("the old signer reads a new label: %q", p)
	}
	if _, p := rotated.Read(stranger.Code(sampleRMA)); p != Forged {
		t.Errorf("a foreign label: %q", p)
	}
}

// TestSignatureIsBoundToItsRMANumber: a label's signature moved onto another
// RMA number is refused, so one label cannot forge every other.
func TestSignatureIsBoundToItsRMANumber(t *testing.T) {
	s := NewSigner("a-secret-of-at-least-thirty-two-chars", "https://rma.example.com")
	a, b := "RMA-10Z0-ABCS", "RMA-7KQ4-M2XK"
	_, sigA, _ := strings.Cut(s.Code(a), ".")
	_, sigB, _ := strings.Cut(s.Code(b), ".")
	if sigA == sigB {
		t.Fatalf("two RMA numbers share the signature %s", sigA)
	}
	for _, moved := range []string{b + "." + sigA, "https://rma.example.com/s/" + b + "." + sigA} {
		if got, problem := s.Read(moved); problem != Forged || got != "" {
			t.Errorf("Read(%q) = %q, %q; want %q", moved, got, problem, Forged)
		}
	}
	if got, problem := s.Read(b + "." + sigB); problem != "" || got != b {
		t.Errorf("own signature: %q, %q", got, problem)
	}
}
