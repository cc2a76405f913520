// Package center describes service centers: where devices are repaired,
// whose working-day calendar runs the review clock, and which buyer
// countries each one serves.
package center

import (
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/language"

	"rma/internal/fault"
)

// Center is a service center.
type Center struct {
	Code     string
	Name     string
	Country  string
	TimeZone string
	Address  []string
	Serves   []string
}

// Location returns the center's time zone (UTC when it cannot be loaded,
// which validation prevents).
func (c Center) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

var codePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{1,31}$`)

// NormalizeCode upper-cases and trims a center code.
func NormalizeCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ValidCountry reports whether s is an ISO 3166 alpha-2 country code.
func ValidCountry(s string) bool {
	if len(s) != 2 {
		return false
	}
	r, err := language.ParseRegion(s)
	return err == nil && r.IsCountry() && r.String() == s
}

// Validate normalizes c and reports every invalid field.
func Validate(c Center) (Center, error) {
	var f fault.Fields
	c.Code = NormalizeCode(c.Code)
	if !codePattern.MatchString(c.Code) {
		f.Add("code", "center_code_invalid")
	}
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || len(c.Name) > 200 {
		f.Add("name", "name_required")
	}
	c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
	if !ValidCountry(c.Country) {
		f.Add("country", "country_invalid")
	}
	c.TimeZone = strings.TrimSpace(c.TimeZone)
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" || c.TimeZone == "Local" {
		f.Add("time_zone", "time_zone_invalid")
	}
	c.Address = CleanLines(c.Address)
	if len(c.Address) == 0 || len(c.Address) > 8 {
		f.Add("address", "address_required")
	} else if !LinesFit(c.Address) {
		f.Add("address", "field_too_long")
	}
	var serves []string
	for _, s := range c.Serves {
		s = strings.ToUpper(strings.TrimSpace(s))
		if !ValidCountry(s) {
			f.Add("serves", "country_invalid")
			continue
		}
		serves = append(serves, s)
	}
	c.Serves = serves
	return c, f.Err("invalid_input")
}

// MaxLineLength is the longest address line, in bytes: what a label prints
// and the database keeps.
const MaxLineLength = 200

// LinesFit reports whether every line is at most MaxLineLength bytes.
func LinesFit(lines []string) bool {
	for _, l := range lines {
		if len(l) > MaxLineLength {
			return false
		}
	}
	return true
}

// CleanLines trims address lines and drops empty ones.
func CleanLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
