// Package limit counts attempts per key in fixed windows, for rate limits
// and lockouts: in memory (bounded) for one process, or in Redis when
// several processes must share the counts. Keys are fixed-size hashes of
// their normalised parts, so an attacker's input never sits in memory and
// variants the database treats as equal share one count.
package limit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Counter adds to a key's count in the window that is current, starting a
// new window of the given length when none is, and returns the count
// (n = 0 reads it).
type Counter interface {
	Add(ctx context.Context, key string, n int, window time.Duration) (int, error)
}

// Rule allows Max attempts per key in each Window.
type Rule struct {
	Max    int
	Window time.Duration
}

// Limiter applies one rule to keys of one kind.
type Limiter struct {
	Name    string // the kind of key: part of the stored key, named in logs
	Rule    Rule
	Counter Counter
}

// Allow counts an attempt and reports whether it is within the rule. A
// counter that fails lets the attempt through: a Redis outage must not
// lock everyone out.
func (l Limiter) Allow(ctx context.Context, key string) (bool, error) {
	n, err := l.Counter.Add(ctx, l.Name+":"+key, 1, l.Rule.Window)
	if err != nil {
		return true, err
	}
	return n <= l.Rule.Max, nil
}

// Exhausted reports whether the key has used up its attempts, without
// counting one.
func (l Limiter) Exhausted(ctx context.Context, key string) (bool, error) {
	n, err := l.Counter.Add(ctx, l.Name+":"+key, 0, l.Rule.Window)
	if err != nil {
		return false, err
	}
	return n >= l.Rule.Max, nil
}

// maxPart is how much of each part a key reads: far more than any e-mail
// address (254) or client address, and little enough that a megabyte of
// input costs no more than a short one.
const maxPart = 1024

// Key returns the fixed-size key of parts, each folded the way the
// database compares text (see Fold). Only the first kilobyte of a part
// counts: longer input is no valid address anyway.
func Key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		if len(p) > maxPart {
			p = p[:maxPart]
		}
		h.Write([]byte(Fold(p)))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Fold maps text to the form MySQL's utf8mb4_unicode_ci (and so the users
// table) compares equal: compatibility decomposition, accents and other
// combining marks dropped, invisible format characters (zero-width space,
// joiners, soft hyphen, byte-order mark) dropped, case folded, surrounding
// spaces trimmed.
func Fold(s string) string {
	t := transform.Chain(norm.NFKD, runes.Remove(runes.Predicate(ignorable)), cases.Fold(), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = strings.ToLower(s)
	}
	return strings.TrimSpace(out)
}

func ignorable(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) || unicode.Is(unicode.Variation_Selector, r)
}
