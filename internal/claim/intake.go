package claim

import (
	"context"
	"errors"
	"fmt"
	"time"

	"rma/internal/account"
	"rma/internal/fault"
	"rma/internal/imei"
	"rma/internal/serial"
)

// Device is what a technician read off a device at intake: its IMEI, its
// serial number, or neither.
type Device struct {
	IMEI   string
	Serial string
}

// normalize cleans what a scanner or a person typed.
func (d Device) normalize() Device {
	return Device{IMEI: imei.Normalize(d.IMEI), Serial: serial.Normalize(d.Serial)}
}

// Empty reports whether nothing was read off the device.
func (d Device) Empty() bool {
	d = d.normalize()
	return d.IMEI == "" && d.Serial == ""
}

// mismatch says why the device read at intake is not the claimed one, or
// returns nil. A phone is claimed by its IMEI, any other product by its
// serial number; whichever is read off the device must be the claim's.
func (d Device) mismatch(c Claim) error {
	if d.IMEI != "" && d.IMEI != c.IMEI {
		return &fault.Error{Kind: fault.Conflict, Reason: "imei_mismatch", Fields: map[string]string{"imei": "imei_mismatch"}}
	}
	if d.Serial != "" && d.Serial != c.SerialNumber {
		return &fault.Error{Kind: fault.Conflict, Reason: "serial_mismatch",
			Fields: map[string]string{"serial_number": "serial_mismatch"}}
	}
	return nil
}

// Receive records a device's arrival at its center and starts the
// turnaround clock. It is idempotent: receiving a claim that is already
// received (or further along) answers with the claim as it is and writes
// nothing, so a label scanned twice gives one event. A device whose IMEI is
// given and differs from the claimed one is refused and nothing changes.
func (s *Service) Receive(ctx context.Context, actor account.Actor, rma, deviceIMEI string) (View, bool, error) {
	return s.ReceiveDevice(ctx, actor, rma, Device{IMEI: deviceIMEI})
}

// ReceiveDevice is Receive with the device's IMEI or serial number, either
// of which must be the claimed device's when given.
func (s *Service) ReceiveDevice(ctx context.Context, actor account.Actor, rma string, dev Device) (View, bool, error) {
	dev = dev.normalize()
	if dev.IMEI != "" && !imei.Valid(dev.IMEI) {
		return View{}, false, fault.Field("imei", "imei_invalid")
	}
	if len(dev.Serial) > 64 {
		return View{}, false, fault.Field("serial_number", "serial_invalid")
	}
	if !mayEver(Receive, actor.Role) {
		return View{}, false, ErrForbidden
	}
	rma, ok := NormalizeRMANumber(rma)
	if !ok {
		return View{}, false, ErrNotFound
	}
	c, err := s.store.ClaimByRMA(ctx, rma)
	if errors.Is(err, fault.ErrNoRecord) || err == nil && !canSee(actor, c) {
		return View{}, false, ErrNotFound
	}
	if err != nil {
		return View{}, false, fmt.Errorf("receive claim: %w", err)
	}
	if err := dev.mismatch(c); err != nil {
		return View{}, false, err
	}
	if c.ReceivedAt != nil {
		v, err := s.Get(ctx, actor, rma)
		return v, false, err // scanned before: same answer, nothing written
	}
	v, err := s.act(ctx, actor, rma, Receive, "", func(c *Claim, now time.Time) error {
		due := now.AddDate(0, 0, s.settings.ReturnDays)
		c.ReceivedAt, c.ReturnDueAt = &now, &due
		return nil
	})
	if errors.Is(err, ErrWrongState) {
		// Lost a race with another scan of the same label: answer as a repeat.
		if again, gerr := s.Get(ctx, actor, rma); gerr == nil && again.Claim.ReceivedAt != nil {
			return again, false, nil
		}
	}
	return v, err == nil, err
}
