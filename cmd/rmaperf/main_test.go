package main

import (
	"strings"
	"testing"
	"time"

	"rma/internal/perf"
)

// TestCurveMarksReadsThatGrow: the curve prints each read's median at each
// size and its ratio to the first size, and marks only the ratios above
// 1.5.
func TestCurveMarksReadsThatGrow(t *testing.T) {
	ms := time.Millisecond
	points := []perf.Point{
		{Claims: 10000, Read: "flat read", P50: 10 * ms}, {Claims: 10000, Read: "growing read", P50: 10 * ms},
		{Claims: 100000, Read: "flat read", P50: 14 * ms}, {Claims: 100000, Read: "growing read", P50: 16 * ms},
		{Claims: 1000000, Read: "flat read", P50: 15 * ms}, {Claims: 1000000, Read: "growing read", P50: 120 * ms},
	}
	var b strings.Builder
	curve(&b, points, []int{10000, 100000, 1000000})
	lines := strings.Split(b.String(), "\n")
	find := func(prefix string) []string {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return strings.Fields(strings.TrimPrefix(l, prefix))
			}
		}
		t.Fatalf("no line %q in:\n%s", prefix, b.String())
		return nil
	}
	if got := strings.Join(find("read (median)"), " "); got != "10k 100k 1M 100k × 10k 1M × 10k" {
		t.Errorf("header %q", got)
	}
	if got := strings.Join(find("flat read"), " "); got != "10.0 ms 14.0 ms 15.0 ms 1.40 1.50" {
		t.Errorf("flat read: %q", got)
	}
	if got := strings.Join(find("growing read"), " "); got != "10.0 ms 16.0 ms 120.0 ms 1.60 ! 12.00 !" {
		t.Errorf("growing read: %q", got)
	}
}
