// Package slip makes the shipping slip a buyer sends a device with: an A4
// page with packing instructions and a cut-out label, or a 4x6 inch thermal
// label. It also signs and reads the code in the slip's QR code. It is pure:
// data in, PDF bytes out; nothing here touches a database or the network.
package slip

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"strings"

	"rma/internal/claim"
)

// sigLen is the number of base-32 symbols of the signature: 50 bits, far
// beyond what anyone can guess, short enough to type from paper.
const sigLen = 10

var sigEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// Signer signs RMA numbers into label codes and reads them back.
type Signer struct {
	secret  []byte
	baseURL string
	// previous are secrets retired by a rotation: labels printed under them
	// are still read, new ones are signed with secret only.
	previous [][]byte
}

// NewSigner returns a signer using the server secret; baseURL is the public
// address QR codes point at. Labels signed with a previous secret are still
// accepted, so that a rotation does not void slips already printed.
func NewSigner(secret, baseURL string, previous ...string) Signer {
	s := Signer{secret: []byte(secret), baseURL: strings.TrimRight(baseURL, "/")}
	for _, p := range previous {
		if p != "" {
			s.previous = append(s.previous, []byte(p))
		}
	}
	return s
}

func (s Signer) signature(rma string) string { return signWith(s.secret, rma) }

func signWith(secret []byte, rma string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("slip:" + rma))
	return sigEncoding.EncodeToString(m.Sum(nil))[:sigLen]
}

// Code returns the label code of an RMA number: "RMA-7KQ4-M2XP.0F3K9QZ2AB".
func (s Signer) Code(rma string) string { return rma + "." + s.signature(rma) }

// URL returns what the QR code holds: {base_url}/s/{code}.
func (s Signer) URL(rma string) string { return s.baseURL + "/s/" + s.Code(rma) }

// ClaimURL returns the address of a claim's own page, where its buyer
// signs in to answer, download the slip or confirm the delivery:
// {base_url}/claims/{rma}. E-mails link there; the QR code links to the
// public tracking page.
func (s Signer) ClaimURL(rma string) string { return s.baseURL + "/claims/" + rma }

// Problem says why a scanned text is not a valid label.
type Problem string

// Why a scan is refused. Each is also a message key.
const (
	Unreadable Problem = "label_unreadable"
	Incomplete Problem = "label_incomplete"
	Forged     Problem = "label_forged"
)

// Read takes what a scanner or a person typed (the whole URL or the bare
// code, with whitespace, a trailing newline or lower-case letters) and
// returns the RMA number it names when the signature is ours.
func (s Signer) Read(text string) (string, Problem) {
	text = strings.TrimSpace(text)
	if i := strings.LastIndex(text, "/s/"); i >= 0 {
		text = text[i+3:]
	} else if i := strings.LastIndex(text, "/"); i >= 0 {
		text = text[i+1:]
	}
	text = strings.ToUpper(strings.TrimSpace(text))
	if text == "" {
		return "", Unreadable
	}
	rmaPart, sig, hasSig := strings.Cut(text, ".")
	rma, ok := claim.NormalizeRMANumber(rmaPart)
	switch {
	case !ok && strings.HasPrefix(rmaPart, "RMA") && len(strings.ReplaceAll(rmaPart[3:], "-", "")) < 8:
		return "", Incomplete
	case !ok:
		return "", Unreadable
	case !hasSig || len(sig) < sigLen:
		return "", Incomplete
	case len(sig) > sigLen:
		return "", Forged
	}
	sig = strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(sig)
	if hmac.Equal([]byte(sig), []byte(s.signature(rma))) {
		return rma, ""
	}
	for _, p := range s.previous {
		if hmac.Equal([]byte(sig), []byte(signWith(p, rma))) {
			return rma, ""
		}
	}
	return "", Forged
}

// BareRMA returns the RMA number when text is one typed by hand without the
// label's signature ("rma-7kq4-m2xp"). Such a number proves nothing about
// the parcel, so intake takes it only with the device's IMEI or serial.
func BareRMA(text string) (string, bool) {
	text = strings.TrimSpace(text)
	if strings.ContainsAny(text, "./") {
		return "", false
	}
	return claim.NormalizeRMANumber(strings.ToUpper(text))
}
