// Package money holds exact amounts of money: an integer number of the
// currency's minor units (cents) and an ISO 4217 currency. Amounts travel as
// decimal strings ("12.30") and are never floats.
package money

import (
	"fmt"
	"strings"

	"golang.org/x/text/currency"
)

// Money is an exact amount: Minor units (cents for EUR) of Currency.
type Money struct {
	Minor    int64
	Currency string
}

// Reasons a decimal string is refused; each is a message key.
const (
	ReasonAmountInvalid     = "amount_invalid"
	ReasonAmountPrecision   = "amount_too_precise"
	ReasonCurrencyInvalid   = "currency_invalid"
	ReasonAmountNotPositive = "amount_not_positive"
)

// maxDigits bounds the whole part so that Minor never overflows.
const maxDigits = 13

// Scale returns how many decimals the currency's minor unit has (2 for EUR,
// 0 for JPY); ok is false for an unknown currency.
func Scale(code string) (scale int, ok bool) {
	if len(code) != 3 || strings.ToUpper(code) != code {
		return 0, false
	}
	u, err := currency.ParseISO(code)
	if err != nil {
		return 0, false
	}
	scale, _ = currency.Standard.Rounding(u)
	return scale, true
}

// Parse reads a decimal amount ("499", "12.30") of a currency. It refuses a
// sign, an exponent, more decimals than the currency has, and anything that
// is not plain digits; the error's text is the reason key.
func Parse(amount, code string) (Money, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	scale, ok := Scale(code)
	if !ok {
		return Money{}, reasonError(ReasonCurrencyInvalid)
	}
	whole, frac, hasDot := strings.Cut(strings.TrimSpace(amount), ".")
	if whole == "" || len(whole) > maxDigits || !digits(whole) || hasDot && (frac == "" || !digits(frac)) {
		return Money{}, reasonError(ReasonAmountInvalid)
	}
	if len(frac) > scale {
		return Money{}, reasonError(ReasonAmountPrecision)
	}
	var minor int64
	for _, r := range whole + frac + strings.Repeat("0", scale-len(frac)) {
		minor = minor*10 + int64(r-'0')
	}
	return Money{Minor: minor, Currency: code}, nil
}

// ParsePositive is Parse that also refuses zero.
func ParsePositive(amount, code string) (Money, error) {
	m, err := Parse(amount, code)
	if err == nil && m.Minor <= 0 {
		return Money{}, reasonError(ReasonAmountNotPositive)
	}
	return m, err
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Amount returns the decimal string with exactly the currency's decimals:
// 1230 EUR cents is "12.30".
func (m Money) Amount() string {
	scale, _ := Scale(m.Currency)
	sign := ""
	n := m.Minor
	if n < 0 {
		sign, n = "-", -n
	}
	if scale == 0 {
		return fmt.Sprintf("%s%d", sign, n)
	}
	pow := int64(1)
	for range scale {
		pow *= 10
	}
	return fmt.Sprintf("%s%d.%0*d", sign, n/pow, scale, n%pow)
}

// String returns "12.30 EUR".
func (m Money) String() string { return m.Amount() + " " + m.Currency }

// IsZero reports whether m is the zero value (no amount, no currency).
func (m Money) IsZero() bool { return m == Money{} }

// Percent returns the share of m given in basis points (1/100 of a percent),
// rounded down to a whole minor unit: exact integer arithmetic.
func (m Money) Percent(basisPoints int64) Money {
	return Money{Minor: m.Minor * basisPoints / 10000, Currency: m.Currency}
}

// reasonError is a refused amount; its text is the reason key.
type reasonError string

func (e reasonError) Error() string { return string(e) }

// Reason returns the message key of an error from Parse, or "" when err is
// not one.
func Reason(err error) string {
	if r, ok := err.(reasonError); ok {
		return string(r)
	}
	return ""
}
