package worker_test

import (
	"context"
	"strings"
	"testing"

	"rma/internal/claim"
)

// The letters about a shipment carry the carrier's tracking link of that
// leg: the buyer's parcel to the center, then the device on its way back.
func TestShipmentLettersCarryTrackingLinks(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		buyer, tech := e.actor("buyer@example.com"), e.actor("tech@example.com")
		rma := e.file()
		e.approve(rma)
		steps := []func() (claim.View, error){
			func() (claim.View, error) { return e.app.Claims.MarkSent(ctx, buyer, rma, "DHL", "JD014600006101") },
			func() (claim.View, error) { v, _, err := e.app.Claims.Receive(ctx, tech, rma, ""); return v, err },
			func() (claim.View, error) { return e.app.Claims.StartDiagnosis(ctx, tech, rma) },
			func() (claim.View, error) {
				return e.app.Claims.Decide(ctx, tech, rma, claim.Diagnosis{Findings: "Battery", Decision: "repair"})
			},
			func() (claim.View, error) { return e.app.Claims.MarkReady(ctx, tech, rma, "") },
			func() (claim.View, error) { return e.app.Claims.ShipBack(ctx, tech, rma, "SEUR", "123456789") },
		}
		for _, step := range steps {
			if _, err := step(); err != nil {
				t.Fatal(err)
			}
		}
		e.sweep()
		recs, err := e.app.Mailer.List(ctx, mailTo("buyer@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"mark_sent": "tracking-id=JD014600006101", "receive": "tracking-id=JD014600006101",
			"ship_back": "123456789"}
		for _, m := range recs {
			link, ok := want[m.Kind]
			if !ok || m.RMANumber != rma {
				continue
			}
			if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, link) || !strings.Contains(m.Text, "https://") {
				t.Errorf("%s letter lacks the tracking link %s:\n%s", m.Kind, link, m.Text)
			}
			if m.Kind == "ship_back" && strings.Contains(m.Text, "JD014600006101") {
				t.Errorf("the return letter links the inbound parcel:\n%s", m.Text)
			}
			delete(want, m.Kind)
		}
		if len(want) != 0 {
			t.Errorf("letters not sent: %v", want)
		}
	})
}
