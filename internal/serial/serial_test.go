package serial

import "testing"

func TestSerialNumbers(t *testing.T) {
	for in, want := range map[string]bool{
		"C02XK1ZJJG5H": true, " c02x k1zj ": true, "SN-2024/11.7": true, "ABC": false,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDE": false, "ÄBCD1234": false, "AB_CD": false, "": false,
	} {
		if got := Valid(Normalize(in)); got != want {
			t.Errorf("Valid(Normalize(%q)) = %v, want %v", in, got, want)
		}
	}
	if Normalize(" c02x k1zj ") != "C02XK1ZJ" {
		t.Errorf("Normalize kept spaces or case: %q", Normalize(" c02x k1zj "))
	}
}
