package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rma/internal/center"
	"rma/internal/i18n"
)

// TestCentersPageWarnsOfCentersThatCannotWork: a center without an active
// technician, or serving no country, is named in a warning, in each
// language; a technician account for it clears its first warning.
func TestCentersPageWarnsOfCentersThatCannotWork(t *testing.T) {
	h := newHarness(t, openSQLite(t))
	cat, _ := i18n.New()
	if _, _, err := h.app.Centers.Put(context.Background(), center.Center{Code: "VIE", Name: "Wien", Country: "AT",
		TimeZone: "Europe/Vienna", Address: []string{"Praterstraße 1", "1020 Wien"}}); err != nil {
		t.Fatal(err)
	}
	admin := h.browserAs(t, "admin@example.com")
	page := func(lang string) string {
		res, body := admin.get("/admin/centers?lang=" + lang)
		if res.StatusCode != 200 {
			t.Fatalf("centers page: %d", res.StatusCode)
		}
		return html.UnescapeString(body)
	}
	warn := func(lang, key, code, name string) string {
		return cat.T(lang, key, map[string]any{"Code": code, "Name": name})
	}
	for _, lang := range i18n.Languages {
		body := page(lang)
		for _, want := range []string{warn(lang, "center.warn_no_technician", "VIE", "Wien"), warn(lang, "center.warn_no_country", "VIE", "Wien"),
			cat.N(lang, "center.warnings", 1, nil)} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: %q missing", lang, want)
			}
		}
		for code, name := range map[string]string{"BER": "Berlin", "MAD": "Madrid"} {
			for _, key := range []string{"center.warn_no_technician", "center.warn_no_country"} {
				if strings.Contains(body, warn(lang, key, code, name)) {
					t.Errorf("%s: %s is warned about (%s)", lang, code, key)
				}
			}
		}
	}
	res := admin.post("/admin/users", url.Values{"_csrf": {admin.token("/admin/users")}, "email": {"t.vie@example.com"},
		"name": {"Tech Wien"}, "role": {"technician"}, "center_code": {"VIE"}, "language": {"en"}, "password": {"long-enough-1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new technician: %d", res.StatusCode)
	}
	body := page("en")
	if strings.Contains(body, warn("en", "center.warn_no_technician", "VIE", "Wien")) ||
		!strings.Contains(body, warn("en", "center.warn_no_country", "VIE", "Wien")) {
		t.Errorf("after a technician joined VIE:\n%s", body)
	}
}
