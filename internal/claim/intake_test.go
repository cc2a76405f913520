package claim_test

import (
	"context"
	"strings"
	"testing"

	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/order"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// fileLaptop files and approves a laptop claim by its serial number.
func (w *ledgerWorld) fileLaptop(serial string) string {
	w.t.Helper()
	ctx := context.Background()
	w.orders++
	completed := w.now.AddDate(0, -1, 0)
	o := order.Order{Number: "ORD-S" + serial, BuyerEmail: w.buyer.Email, BuyerName: "Bea",
		ShippingAddress: []string{"Kastanienallee 12", "10435 Berlin"}, CompletedAt: &completed, Country: "DE",
		ProductName: "ThinkPad X1 Carbon", Category: "laptop", SerialNumber: serial,
		Coverages: []coverage.Kind{coverage.ExtendedWarranty}}
	if _, err := w.st.PutOrder(ctx, o, w.now); err != nil {
		w.t.Fatal(err)
	}
	v, err := w.svc.Submit(ctx, w.buyer, claim.Request{OrderNumber: o.Number, Coverage: coverage.ExtendedWarranty,
		SerialNumber: serial, Description: "The keyboard stopped working."})
	if err != nil {
		w.t.Fatal(err)
	}
	w.must(w.svc.Approve(ctx, w.rep, v.Claim.RMANumber, ""))
	return v.Claim.RMANumber
}

// TestSerialDevicesAreReceivedByTheirSerial: a laptop's label alone
// receives it; a serial number read off the device must be the claimed
// one, however it is typed; a serial number longer than 64 characters is
// refused as unreadable, one of 64 is compared; a refusal changes nothing.
func TestSerialDevicesAreReceivedByTheirSerial(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newLedgerWorld(t, st)
		byLabel := w.fileLaptop("PF3K2L9X")
		v, fresh, err := w.svc.ReceiveDevice(ctx, w.tech, byLabel, claim.Device{})
		if err != nil || !fresh || v.Claim.Status != claim.Received {
			t.Fatalf("received by its label alone: %v (fresh %v, %s)", err, fresh, v.Claim.Status)
		}

		rma := w.fileLaptop("R90ABC12")
		for _, c := range []struct {
			serial        string
			kind          fault.Kind
			field, reason string
		}{
			{"R90ABC13", fault.Conflict, "serial_number", "serial_mismatch"},
			{strings.Repeat("R", 64), fault.Conflict, "serial_number", "serial_mismatch"},
			{strings.Repeat("R", 65), fault.Invalid, "serial_number", "serial_invalid"},
		} {
			_, _, err := w.svc.ReceiveDevice(ctx, w.tech, rma, claim.Device{Serial: c.serial})
			refused(t, err, c.kind, c.reason, c.field)
		}
		if v, err := w.svc.Get(ctx, w.rep, rma); err != nil || v.Claim.Status != claim.Approved || len(v.Events) != 2 {
			t.Fatalf("after the refusals: %v, %s with %d events", err, v.Claim.Status, len(v.Events))
		}
		v, fresh, err = w.svc.ReceiveDevice(ctx, w.tech, rma, claim.Device{Serial: " r90a bc12 "})
		if err != nil || !fresh || v.Claim.Status != claim.Received {
			t.Errorf("the claimed serial, typed loosely: %v (fresh %v, %s)", err, fresh, v.Claim.Status)
		}
	})
}
