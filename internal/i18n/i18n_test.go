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

// TestPluralForms: counts of claims and days read as a native speaker
// writes them, by the CLDR rules of each language.
func TestPluralForms(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[int][2]string{
		"en": {0: {"0 claims", "0 days"}, 1: {"1 claim", "1 day"}, 2: {"2 claims", "2 days"}, 5: {"5 claims", "5 days"},
			21: {"21 claims", "21 days"}},
		"ru": {0: {"0 заявок", "0 дней"}, 1: {"1 заявка", "1 день"}, 2: {"2 заявки", "2 дня"}, 5: {"5 заявок", "5 дней"},
			21: {"21 заявка", "21 день"}},
		"es": {0: {"0 reclamaciones", "0 días"}, 1: {"1 reclamación", "1 día"}, 2: {"2 reclamaciones", "2 días"},
			5: {"5 reclamaciones", "5 días"}, 21: {"21 reclamaciones", "21 días"}},
	}
	for lang, counts := range want {
		for n, w := range counts {
			if got := c.N(lang, "queue.count", n, nil); got != w[0] {
				t.Errorf("%s %d claims: %q, want %q", lang, n, got, w[0])
			}
			if got := c.N(lang, "work.days", n, nil); got != w[1] {
				t.Errorf("%s %d days: %q, want %q", lang, n, got, w[1])
			}
		}
	}
}
