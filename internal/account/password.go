package account

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

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
// "" when it is acceptable. The e-mail's local part must not be in it.
func WeakPassword(password, email string) string {
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
	return ""
}
