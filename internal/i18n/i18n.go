// Package i18n holds the message catalogues (English, Russian, Spanish) and
// picks a language for a request. Messages are looked up by key with
// github.com/nicksnyder/go-i18n; a key missing from a catalogue falls back to
// English, and a key missing everywhere is shown as itself (and caught by
// the catalogue test).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var locales embed.FS

// Languages the service speaks; the first is the fallback.
var Languages = []string{"en", "ru", "es"}

// Catalog translates message keys.
type Catalog struct {
	bundle     *goi18n.Bundle
	matcher    language.Matcher
	localizers map[string]*goi18n.Localizer
	keys       map[string][]string
}

// New loads the embedded catalogues.
func New() (*Catalog, error) {
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		tags[i] = language.Make(l)
	}
	b := goi18n.NewBundle(tags[0])
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{bundle: b, matcher: language.NewMatcher(tags), localizers: map[string]*goi18n.Localizer{},
		keys: map[string][]string{}}
	for _, l := range Languages {
		data, err := fs.ReadFile(locales, "locales/"+l+".json")
		if err != nil {
			return nil, fmt.Errorf("load catalogue %s: %w", l, err)
		}
		if _, err := b.ParseMessageFileBytes(data, l+".json"); err != nil {
			return nil, fmt.Errorf("parse catalogue %s: %w", l, err)
		}
		var m map[string]any // a message, or its plural forms (one, few, many, other)
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("parse catalogue %s: %w", l, err)
		}
		for k := range m {
			c.keys[l] = append(c.keys[l], k)
		}
		c.localizers[l] = goi18n.NewLocalizer(b, l, Languages[0])
	}
	return c, nil
}

// Keys returns the message keys of one catalogue (tests compare them).
func (c *Catalog) Keys(lang string) []string { return c.keys[lang] }

// T translates key into lang, filling {{.Name}} placeholders from args.
func (c *Catalog) T(lang, key string, args map[string]any) string {
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers[Languages[0]]
	}
	s, err := l.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: args})
	if err != nil || s == "" {
		return key
	}
	return s
}

// N translates a message with plural forms for count, chosen by the CLDR
// rules of lang (Russian: one, few, many; English and Spanish: one, other),
// with {{.Count}} set to count besides args.
func (c *Catalog) N(lang, key string, count int, args map[string]any) string {
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers[Languages[0]]
	}
	data := map[string]any{"Count": count}
	for k, v := range args {
		data[k] = v
	}
	s, err := l.Localize(&goi18n.LocalizeConfig{MessageID: key, PluralCount: count, TemplateData: data})
	if err != nil || s == "" {
		return key
	}
	return s
}

// Has reports whether key exists in the English catalogue.
func (c *Catalog) Has(key string) bool {
	_, err := c.localizers[Languages[0]].Localize(&goi18n.LocalizeConfig{MessageID: key})
	return err == nil
}

// Pick returns the first supported language among the candidates: each is a
// language code ("ru") or an Accept-Language header ("es-ES,es;q=0.9").
// Empty candidates are skipped; nothing supported gives English.
func (c *Catalog) Pick(candidates ...string) string {
	for _, cand := range candidates {
		cand = strings.TrimSpace(cand)
		if cand == "" {
			continue
		}
		tags, _, err := language.ParseAcceptLanguage(cand)
		if err != nil || len(tags) == 0 {
			continue
		}
		_, idx, conf := c.matcher.Match(tags...)
		if conf != language.No {
			return Languages[idx]
		}
	}
	return Languages[0]
}

// CountryLanguage returns the language the service speaks that is the most
// likely in a country (ISO 3166 code: "ES" gives "es", "RU" gives "ru"),
// from CLDR's likely subtags, or "" when that language is not one of ours.
// It addresses someone who has no account, and so no language of their own.
func CountryLanguage(country string) string {
	region, err := language.ParseRegion(strings.TrimSpace(country))
	if err != nil {
		return ""
	}
	tag, err := language.Compose(language.Und, region)
	if err != nil {
		return ""
	}
	base, _ := tag.Base()
	for _, l := range Languages {
		if base.String() == l {
			return l
		}
	}
	return ""
}
