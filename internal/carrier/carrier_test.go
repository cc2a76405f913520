package carrier

import (
	"net/url"
	"strings"
	"testing"
)

func TestEveryRequiredCarrierLinks(t *testing.T) {
	for _, tc := range []struct{ typed, host string }{
		{"DHL", "www.dhl.com"}, {"dhl express", "www.dhl.com"}, {"DPD", "tracking.dpd.de"}, {"GLS", "gls-group.com"},
		{"UPS", "www.ups.com"}, {"Correos", "www.correos.es"}, {"SEUR", "www.seur.com"}, {"PostNL", "postnl.nl"},
		{"Latvijas Pasts", "www.pasts.lv"}, {"latvijas-pasts", "www.pasts.lv"}, {"Poczta Polska", "emonitoring.poczta-polska.pl"},
		{" poczta-polska ", "emonitoring.poczta-polska.pl"},
	} {
		link := Link(tc.typed, " 00340 434 1618 ")
		u, err := url.Parse(link)
		if err != nil || u.Scheme != "https" || u.Host != tc.host || !strings.Contains(link, "003404341618") {
			t.Errorf("%q: %q", tc.typed, link)
		}
	}
}

func TestUnknownCarriersAndOddNumbers(t *testing.T) {
	if l := Link("My Cousin's Van", "123"); l != "" {
		t.Errorf("unknown carrier linked: %q", l)
	}
	if l := Link("DHL", "  "); l != "" {
		t.Errorf("empty number linked: %q", l)
	}
	// A tracking number cannot add parameters or leave the carrier's page.
	l := Link("UPS", "1Z&x=1#frag")
	if u, _ := url.Parse(l); u.Host != "www.ups.com" || u.Query().Get("tracknum") != "1Z&x=1#frag" || u.Fragment != "" {
		t.Errorf("escaped link %q", l)
	}
}
