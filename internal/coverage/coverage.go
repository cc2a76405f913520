// Package coverage describes what a claim can be made under: the kinds of
// Advanced Buyer Protection, their terms, the countries that sell them and
// how many claims a term allows.
package coverage

import (
	"slices"
	"strings"
	"time"
)

// Kind is a product of Advanced Buyer Protection.
type Kind string

// The coverages sold with an order.
const (
	ExtendedWarranty Kind = "extended_warranty"
	AccidentalDamage Kind = "accidental_damage"
)

// Kinds lists every coverage, in a stable order.
var Kinds = []Kind{ExtendedWarranty, AccidentalDamage}

// Valid reports whether k is a known coverage.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// EU lists the 27 member states (ISO 3166 alpha-2), the default market of
// both coverages.
var EU = []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
	"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}

// Term is the rules of one coverage.
type Term struct {
	Kind Kind
	// Years from the order's completion during which claims may be made.
	Years int
	// Countries where the coverage is sold (order country).
	Countries []string
	// PhonesOnly: only mobile phones are covered.
	PhonesOnly bool
	// ClaimLimit is how many claims one term allows; 0 means no limit.
	ClaimLimit int
	// NeedsIncidentDate: the buyer must say when the damage happened.
	NeedsIncidentDate bool
}

// Ends returns when the coverage of an order completed at completedAt ends.
func (t Term) Ends(completedAt time.Time) time.Time { return completedAt.AddDate(t.Years, 0, 0) }

// SoldIn reports whether the coverage is sold to buyers in country.
func (t Term) SoldIn(country string) bool {
	return slices.Contains(t.Countries, strings.ToUpper(country))
}

// Policy is the configured set of coverages.
type Policy struct{ terms map[Kind]Term }

// Settings are the knobs an operator may turn.
type Settings struct {
	// Excluded are EU countries where the extended warranty is not sold.
	ExcludedWarrantyCountries []string
	// AccidentalDamageCountries where accidental-damage cover is sold
	// (default: the EU).
	AccidentalDamageCountries []string
	// AccidentalDamageLimit is the claims allowed per term (default 2).
	AccidentalDamageLimit int
	// WarrantyLimit is the extended-warranty claims allowed per term (0: no limit).
	WarrantyLimit int
}

// NewPolicy builds the policy from settings.
func NewPolicy(s Settings) Policy {
	var warranty []string
	for _, c := range EU {
		if !slices.Contains(s.ExcludedWarrantyCountries, c) {
			warranty = append(warranty, c)
		}
	}
	ad := s.AccidentalDamageCountries
	if len(ad) == 0 {
		ad = EU
	}
	return Policy{terms: map[Kind]Term{
		ExtendedWarranty: {Kind: ExtendedWarranty, Years: 2, Countries: warranty, ClaimLimit: s.WarrantyLimit},
		AccidentalDamage: {Kind: AccidentalDamage, Years: 1, Countries: slices.Clone(ad), PhonesOnly: true,
			ClaimLimit: s.AccidentalDamageLimit, NeedsIncidentDate: true},
	}}
}

// Term returns the rules of kind.
func (p Policy) Term(kind Kind) (Term, bool) {
	t, ok := p.terms[kind]
	return t, ok
}

// ParseCountries splits a comma-separated list of country codes.
func ParseCountries(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			out = append(out, c)
		}
	}
	return out
}
