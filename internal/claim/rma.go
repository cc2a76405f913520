package claim

import (
	"crypto/rand"
	"strings"
)

// RMA numbers read like "RMA-7KQ4-M2XP": seven random symbols and a check
// symbol from Crockford's base-32 alphabet, which leaves out I, L, O and U
// so that nothing is ambiguous when read aloud or typed from paper. Random
// (about 34 billion numbers) so that no number can be guessed from another.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const rmaPrefix = "RMA-"

// NewRMANumber returns a fresh random RMA number.
func NewRMANumber() string {
	b := make([]byte, 7)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	body := make([]byte, 0, 8)
	for _, v := range b {
		body = append(body, alphabet[v&31])
	}
	return withCheck(body)
}

// RMANumberOf returns the RMA number whose seven symbols spell the low 35
// bits of n, most significant first, with its check symbol: distinct
// numbers for distinct n below 2^35. Bulk loads number their claims with it
// so as not to draw random numbers and look for repeats; they should feed
// it a scrambled counter, since a number must not tell of the ones near it.
func RMANumberOf(n uint64) string {
	body := make([]byte, 7, 8)
	for i := 6; i >= 0; i-- {
		body[i] = alphabet[n&31]
		n >>= 5
	}
	return withCheck(body)
}

func withCheck(body []byte) string {
	body = append(body, checkSymbol(string(body)))
	return rmaPrefix + string(body[:4]) + "-" + string(body[4:])
}

func checkSymbol(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		sum = (sum*7 + strings.IndexByte(alphabet, body[i])) % 31
	}
	return alphabet[sum]
}

// NormalizeRMANumber turns what a person or scanner typed ("rma 7kq4m2xp",
// "RMA-7KQ4-M2XP ") into the canonical form, reading O as 0 and I, L as 1 as
// Crockford's alphabet prescribes, and reports whether the check symbol is
// right.
func NormalizeRMANumber(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "RMA")
	var body []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '-', ' ', '_':
			continue
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		if strings.IndexByte(alphabet, c) < 0 {
			return "", false
		}
		body = append(body, c)
	}
	if len(body) != 8 || checkSymbol(string(body[:7])) != body[7] {
		return "", false
	}
	return rmaPrefix + string(body[:4]) + "-" + string(body[4:]), true
}
