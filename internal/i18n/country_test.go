package i18n

import "testing"

// TestCountryLanguage: the likely language of a country, when we speak it.
func TestCountryLanguage(t *testing.T) {
	for country, want := range map[string]string{"ES": "es", "es": "es", "MX": "es", "AR": "es", "RU": "ru",
		"KZ": "ru", "GB": "en", "IE": "en", "DE": "", "LV": "", "FR": "", "": "", "XX1": ""} {
		if got := CountryLanguage(country); got != want {
			t.Errorf("CountryLanguage(%q) = %q, want %q", country, got, want)
		}
	}
}
