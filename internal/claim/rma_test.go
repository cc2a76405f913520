package claim

import (
	"regexp"
	"strings"
	"testing"
)

func TestRMANumbersAreWellFormedAndDistinct(t *testing.T) {
	shape := regexp.MustCompile(`^RMA-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)
	seen := map[string]bool{}
	for i := 0; i < 20000; i++ {
		n := NewRMANumber()
		if !shape.MatchString(n) {
			t.Fatalf("%q is not of the form RMA-XXXX-XXXX without I, L, O, U", n)
		}
		if seen[n] {
			t.Fatalf("%q came twice in %d numbers", n, i)
		}
		seen[n] = true
		if got, ok := NormalizeRMANumber(n); !ok || got != n {
			t.Fatalf("NormalizeRMANumber(%q) = %q, %v", n, got, ok)
		}
	}
}

func TestNormalizeRMANumberReadsWhatPeopleType(t *testing.T) {
	n := NewRMANumber()
	body := strings.ReplaceAll(strings.TrimPrefix(n, "RMA-"), "-", "")
	for _, typed := range []string{strings.ToLower(n), " " + n + "\n", "rma " + body, body,
		strings.ReplaceAll(n, "0", "o")} {
		if got, ok := NormalizeRMANumber(typed); !ok || got != n {
			t.Errorf("NormalizeRMANumber(%q) = %q, %v; want %q", typed, got, ok, n)
		}
	}
	// One symbol changed: the check symbol catches it.
	caught := 0
	for i := 0; i < len(body)-1; i++ {
		for _, c := range alphabet {
			if byte(c) == body[i] {
				continue
			}
			typo := body[:i] + string(c) + body[i+1:]
			if _, ok := NormalizeRMANumber(typo); !ok {
				caught++
			}
		}
	}
	if total := 7 * 31; caught < total-7 { // a value difference of 31 can slip by, once per position at most
		t.Errorf("check symbol caught %d of %d single-symbol typos", caught, total)
	}
	for _, bad := range []string{"", "RMA-", "RMA-1234-567", "RMA-1234-56789", "RMA-U234-5678", "hello"} {
		if _, ok := NormalizeRMANumber(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
