// Package carrier turns a carrier's name and a tracking number into the
// carrier's public tracking page, for the carriers buyers and centers use
// in the EU. It is pure: no network.
package carrier

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Carrier is a known carrier: its name as shown and its tracking page,
// where {n} stands for the escaped tracking number.
type Carrier struct {
	Code, Name, Page string
	aliases          []string
}

// Known lists the carriers we link to.
var Known = []Carrier{
	{"dhl", "DHL", "https://www.dhl.com/global-en/home/tracking/tracking-parcel.html?submit=1&tracking-id={n}", []string{"dhl", "dhlexpress", "dhlparcel", "deutschepost", "deutschepostdhl"}},
	{"dpd", "DPD", "https://tracking.dpd.de/status/en_US/parcel/{n}", []string{"dpd"}},
	{"gls", "GLS", "https://gls-group.com/track/{n}", []string{"gls"}},
	{"ups", "UPS", "https://www.ups.com/track?tracknum={n}", []string{"ups"}},
	{"fedex", "FedEx", "https://www.fedex.com/fedextrack/?trknbr={n}", []string{"fedex"}},
	{"correos", "Correos", "https://www.correos.es/es/es/herramientas/localizador/envios/detalle?tracking-number={n}", []string{"correos", "correosexpress"}},
	{"seur", "SEUR", "https://www.seur.com/livetracking/?segOnlineIdentificador={n}", []string{"seur"}},
	{"postnl", "PostNL", "https://postnl.nl/tracktrace/?B={n}", []string{"postnl"}},
	{"latvijas_pasts", "Latvijas Pasts", "https://www.pasts.lv/en/Category/Tracking_of_Postal_Items/?id={n}", []string{"latvijaspasts", "pasts", "latvianpost"}},
	{"poczta_polska", "Poczta Polska", "https://emonitoring.poczta-polska.pl/?numer={n}", []string{"pocztapolska", "polishpost"}},
	{"inpost", "InPost", "https://inpost.pl/sledzenie-przesylek?number={n}", []string{"inpost"}},
	{"omniva", "Omniva", "https://www.omniva.ee/private/track_and_trace?barcode={n}", []string{"omniva"}},
}

// squash reduces a carrier's name as typed ("Poczta-Polska", "DHL
// Express", "latvijas pasts") to letters and digits, lower-case, without
// accents.
func squash(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if unicode.IsLetter(r) && r < unicode.MaxASCII || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Find returns the known carrier a typed name means.
func Find(name string) (Carrier, bool) {
	key := squash(name)
	if key == "" {
		return Carrier{}, false
	}
	for _, c := range Known {
		for _, a := range c.aliases {
			if key == a {
				return c, true
			}
		}
	}
	return Carrier{}, false
}

// Link returns the tracking page of a parcel, or "" for an unknown carrier
// or an empty tracking number.
func Link(name, tracking string) string {
	tracking = strings.Join(strings.Fields(tracking), "")
	c, ok := Find(name)
	if !ok || tracking == "" {
		return ""
	}
	return strings.ReplaceAll(c.Page, "{n}", url.QueryEscape(tracking))
}
