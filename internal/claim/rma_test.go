package claim

import (
	"regexp"
	"strings"
	"testing"
)

// TestRMANumbersAreWellFormedAndDistinct draws numbers and counts the
// repeats against what chance allows: among n numbers of 32^7 the expected
// number of colliding pairs is n²/(2·32^7), about 0.036 for 50,000, and
// four or more happen about once in fourteen million runs. Every symbol must
// also show up at every random position, which a narrowed alphabet fails.
func TestRMANumbersAreWellFormedAndDistinct(t *testing.T) {
	const n, allowed = 50000, 3
	shape := regexp.MustCompile(`^RMA-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)
	seen := make(map[string]bool, n)
	repeats := 0
	var used [7][32]bool
	for i := 0; i < n; i++ {
		num := NewRMANumber()
		if !shape.MatchString(num) {
			t.Fatalf("%q is not of the form RMA-XXXX-XXXX without I, L, O, U", num)
		}
		if seen[num] {
			repeats++
		}
		seen[num] = true
		if got, ok := NormalizeRMANumber(num); !ok || got != num {
			t.Fatalf("NormalizeRMANumber(%q) = %q, %v", num, got, ok)
		}
		body := strings.ReplaceAll(strings.TrimPrefix(num, rmaPrefix), "-", "")
		for p := 0; p < 7; p++ {
			used[p][strings.IndexByte(alphabet, body[p])] = true
		}
	}
	if repeats > allowed {
		t.Errorf("%d repeats in %d numbers; chance allows %d", repeats, n, allowed)
	}
	for p := range used {
		for v, ok := range used[p] {
			if !ok {
				t.Errorf("symbol %c never drawn at position %d", alphabet[v], p+1)
			}
		}
	}
}

// TestRMANumberOfSpellsItsNumber: numbers made from a counter are valid,
// spell the counter's 35 bits (so distinct counters give distinct numbers)
// and ignore the bits above.
func TestRMANumberOfSpellsItsNumber(t *testing.T) {
	for n, want := range map[uint64]string{0: "RMA-0000-0000", 1<<35 - 1: "RMA-ZZZZ-ZZZ0", 1 << 35: "RMA-0000-0000",
		0x123456: "RMA-0014-D2P"} {
		got := RMANumberOf(n)
		if !strings.HasPrefix(got, want) {
			t.Errorf("RMANumberOf(%#x) = %q, want %q", n, got, want)
		}
		if norm, ok := NormalizeRMANumber(got); !ok || norm != got {
			t.Errorf("NormalizeRMANumber(%q) = %q, %v", got, norm, ok)
		}
	}
	seen := map[string]uint64{}
	for n := uint64(0); n < 40000; n++ {
		v := n * 0x9E3779B1 & (1<<35 - 1)
		num := RMANumberOf(v)
		if prev, ok := seen[num]; ok {
			t.Fatalf("%#x and %#x both give %s", prev, v, num)
		}
		seen[num] = v
	}
}

// goldenRMANumbers were issued under the check-symbol formula: changing it
// would invalidate every label and e-mail already sent.
var goldenRMANumbers = []string{"RMA-0000-0000", "RMA-7KQ4-M2XK", "RMA-10Z0-ABCS", "RMA-ZZZZ-ZZZ0",
	"RMA-1111-111M", "RMA-0123-456W", "RMA-9TN8-W5E6"}

func TestGoldenRMANumbersKeepTheirCheckSymbol(t *testing.T) {
	for _, n := range goldenRMANumbers {
		if got, ok := NormalizeRMANumber(n); !ok || got != n {
			t.Errorf("NormalizeRMANumber(%q) = %q, %v", n, got, ok)
		}
		if _, ok := NormalizeRMANumber(wrongCheck(n)); ok {
			t.Errorf("%q accepted with another check symbol", wrongCheck(n))
		}
	}
}

func wrongCheck(n string) string {
	last := n[len(n)-1]
	for i := 0; i < len(alphabet); i++ {
		if alphabet[i] != last {
			return n[:len(n)-1] + string(alphabet[i])
		}
	}
	return n
}

func TestNormalizeRMANumberReadsWhatPeopleType(t *testing.T) {
	// A fixed number holding both 0 and 1, so that every reading below is
	// exercised on every run.
	n := "RMA-10Z0-ABCS"
	body := strings.ReplaceAll(strings.TrimPrefix(n, "RMA-"), "-", "")
	for _, typed := range []string{strings.ToLower(n), " " + n + "\n", "rma " + body, body,
		strings.ReplaceAll(n, "0", "o"), strings.ReplaceAll(n, "0", "O"), "RMA-I0Z0-ABCS", "rma_l0z0_abcs"} {
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
