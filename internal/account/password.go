package account

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/crypto/bcrypt"
)

// MinPasswordScore is the least zxcvbn score (0 to 4) a password needs:
// 3 means about 10^8 guesses or more, beyond an online attack.
const MinPasswordScore = 3

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// Hasher hashes and checks passwords with bcrypt at a fixed cost.
type Hasher struct{ Cost int }

// Hash returns the bcrypt hash of password.
func (h Hasher) Hash(password string) (string, error) {
	cost := h.Cost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	b, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	return string(b), err
}

// Check reports whether password matches hash.
func (h Hasher) Check(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// WeakPassword returns the message key saying why password is too weak, or
// "" when it is acceptable. The e-mail's local part must not be in it, and
// it must not be guessable: zxcvbn (Dropbox's estimator, with its lists of
// common passwords, names and words) scores it against its dictionaries and
// the user's own details.
func WeakPassword(password, email string, details ...string) string {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return "password_too_short"
	}
	if len(password) > 72 { // bcrypt reads 72 bytes at most
		return "password_too_long"
	}
	var letter, other bool
	for _, r := range password {
		if unicode.IsLetter(r) {
			letter = true
		} else {
			other = true
		}
	}
	if !letter || !other {
		return "password_too_simple"
	}
	if local, _, ok := strings.Cut(email, "@"); ok && len(local) >= 3 &&
		strings.Contains(strings.ToLower(password), strings.ToLower(local)) {
		return "password_contains_email"
	}
	inputs := []string{email}
	if local, domain, ok := strings.Cut(email, "@"); ok {
		inputs = append(inputs, local, domain)
	}
	for _, d := range details { // each word of a name counts on its own
		inputs = append(inputs, strings.FieldsFunc(strings.ToLower(d), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})...)
	}
	if zxcvbn.PasswordStrength(password, inputs).Score < MinPasswordScore {
		return "password_common"
	}
	return ""
}
