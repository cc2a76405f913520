package imei

import "testing"

func TestValid(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"490154203237518", true}, // the classic example IMEI
		{"356938035643809", true},
		{"490154203237517", false}, // check digit off by one
		{"49015420323751", false},  // 14 digits
		{"4901542032375180", false},
		{"49015420323751a", false},
		{"", false},
	}
	for _, tc := range cases {
		if got := Valid(tc.in); got != tc.want {
			t.Errorf("Valid(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestNormalizeAndCheckDigit(t *testing.T) {
	if got := Normalize(" 49-015420-323751-8 "); got != "490154203237518" {
		t.Errorf("Normalize = %q", got)
	}
	if got := WithCheckDigit("49015420323751"); got != "490154203237518" {
		t.Errorf("WithCheckDigit = %q", got)
	}
}
