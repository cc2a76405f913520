package i18n

import (
	"slices"
	"strings"
	"testing"
)

// sameInEveryLanguage are texts that read alike in every language.
var sameInEveryLanguage = map[string]bool{"slip.imei": true, "field.imei": true}

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	en := slices.Sorted(slices.Values(c.Keys("en")))
	if len(en) < 50 {
		t.Fatalf("english catalogue has only %d keys", len(en))
	}
	for _, lang := range Languages[1:] {
		other := slices.Sorted(slices.Values(c.Keys(lang)))
		if !slices.Equal(en, other) {
			for _, k := range en {
				if !slices.Contains(other, k) {
					t.Errorf("%s lacks %q", lang, k)
				}
			}
			for _, k := range other {
				if !slices.Contains(en, k) {
					t.Errorf("%s has %q, which English lacks", lang, k)
				}
			}
		}
		for _, k := range other {
			if c.T(lang, k, nil) == c.T("en", k, nil) && !strings.Contains(k, "invalid") && !sameInEveryLanguage[k] {
				t.Errorf("%s %q is the same as the English text", lang, k)
			}
		}
	}
}

func TestTranslateFillsArguments(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	got := c.T("ru", "claim_wrong_state", map[string]any{"Status": "одобрена"})
	if !strings.Contains(got, "«одобрена»") {
		t.Errorf("got %q", got)
	}
	if got := c.T("es", "no.such.key", nil); got != "no.such.key" {
		t.Errorf("missing key gave %q", got)
	}
}

func TestPick(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in   []string
		want string
	}{
		{[]string{"ru"}, "ru"},
		{[]string{"", "es-ES,es;q=0.9,en;q=0.5"}, "es"},
		{[]string{"fr-FR,fr;q=0.9"}, "en"},
		{[]string{"de", "ru-RU"}, "ru"},
		{nil, "en"},
		{[]string{"es-MX"}, "es"},
	}
	for _, tc := range cases {
		if got := c.Pick(tc.in...); got != tc.want {
			t.Errorf("Pick(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
