// Package imei validates device identifiers: 15 digits whose last is a Luhn
// check digit.
package imei

import "strings"

// Normalize drops the spaces, dashes and slashes people and labels put into
// an IMEI.
func Normalize(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '/', '.', '\t':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// Valid reports whether s is 15 digits with a correct Luhn check digit.
func Valid(s string) bool {
	if len(s) != 15 {
		return false
	}
	sum := 0
	for i := 0; i < 15; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 1 { // every second digit from the left, the check digit being the 15th
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// WithCheckDigit completes a 14-digit body with its Luhn check digit.
func WithCheckDigit(body string) string {
	for d := byte('0'); d <= '9'; d++ {
		if s := body + string(d); Valid(s) {
			return s
		}
	}
	return ""
}
