// Package serial reads the serial numbers of products that have no IMEI
// (laptops, TVs, appliances): the identifier a buyer files an
// extended-warranty claim with and a technician checks at intake.
package serial

import (
	"strings"
	"unicode"
)

// Bounds of a serial number's length, in characters.
const (
	MinLen = 4
	MaxLen = 40
)

// Normalize drops spaces and makes letters upper case, as serial numbers
// are printed on labels in varying case and spacing.
func Normalize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// Valid reports whether s, normalized, can be a serial number: 4 to 40
// ASCII letters and digits, with dashes, dots and slashes between them.
func Valid(s string) bool {
	if len(s) < MinLen || len(s) > MaxLen {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '-' || r == '.' || r == '/':
		default:
			return false
		}
	}
	return true
}
