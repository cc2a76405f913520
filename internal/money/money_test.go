package money

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		amount, currency string
		want             Money
		reason           string
	}{
		{"12.30", "EUR", Money{1230, "EUR"}, ""},
		{"12.3", "EUR", Money{1230, "EUR"}, ""},
		{"499", "EUR", Money{49900, "EUR"}, ""},
		{"0.01", "eur", Money{1, "EUR"}, ""},
		{"1000", "JPY", Money{1000, "JPY"}, ""},
		{"0", "EUR", Money{0, "EUR"}, ""},
		{"1.5", "JPY", Money{}, ReasonAmountPrecision},
		{"12.301", "EUR", Money{}, ReasonAmountPrecision},
		{"-1", "EUR", Money{}, ReasonAmountInvalid},
		{"+1", "EUR", Money{}, ReasonAmountInvalid},
		{"1e3", "EUR", Money{}, ReasonAmountInvalid},
		{"abc", "EUR", Money{}, ReasonAmountInvalid},
		{"", "EUR", Money{}, ReasonAmountInvalid},
		{"12.", "EUR", Money{}, ReasonAmountInvalid},
		{".5", "EUR", Money{}, ReasonAmountInvalid},
		{"1,50", "EUR", Money{}, ReasonAmountInvalid},
		{"99999999999999", "EUR", Money{}, ReasonAmountInvalid},
		{"1", "EURO", Money{}, ReasonCurrencyInvalid},
		{"1", "XYZ", Money{}, ReasonCurrencyInvalid},
	}
	for _, tt := range tests {
		got, err := Parse(tt.amount, tt.currency)
		if Reason(err) != tt.reason || (err != nil) != (tt.reason != "") {
			t.Errorf("Parse(%q, %q) error %v, want reason %q", tt.amount, tt.currency, err, tt.reason)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q, %q) = %+v, want %+v", tt.amount, tt.currency, got, tt.want)
		}
	}
}

func TestParsePositiveRefusesZero(t *testing.T) {
	if _, err := ParsePositive("0.00", "EUR"); Reason(err) != ReasonAmountNotPositive {
		t.Fatalf("zero: %v", err)
	}
	if m, err := ParsePositive("0.01", "EUR"); err != nil || m.Minor != 1 {
		t.Fatalf("one cent: %+v %v", m, err)
	}
}

func TestAmountRoundTrips(t *testing.T) {
	for _, s := range []string{"12.30", "0.05", "499.00", "1000000.99"} {
		m, err := Parse(s, "EUR")
		if err != nil {
			t.Fatal(err)
		}
		if m.Amount() != s {
			t.Errorf("%q became %q", s, m.Amount())
		}
	}
	if got := (Money{1000, "JPY"}).Amount(); got != "1000" {
		t.Errorf("JPY: %q", got)
	}
	if got := (Money{49900, "EUR"}).Percent(1000).Amount(); got != "49.90" {
		t.Errorf("10%% of 499.00: %q", got)
	}
}
