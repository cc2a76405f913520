package claim

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"

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

// errConfirmDevice: a claim on the buyer's word alone is received only with
// the identifier read off the device.
var errConfirmDevice = &fault.Error{Kind: fault.Invalid, Reason: "device_confirm_required",
	Fields: map[string]string{"imei": "device_confirm_required", "serial_number": "device_confirm_required"}}

// confirm checks the device read at intake against the claim: where the
// order records the identifier, or it was confirmed before, a device that
// is not the claimed one is refused. Where the claim rests on the buyer's
// word, the identifier must be read off the device: the same one confirms
// it, another is received all the same (the device is here) and recorded
// as a mismatch in the receipt's note, which flags the claim for a rep.
func (d Device) confirm(c Claim) (DeviceCheck, string, error) {
	if !c.Unproven() {
		return c.DeviceCheck, "", d.mismatch(c)
	}
	if d.IMEI == "" && d.Serial == "" {
		return "", "", errConfirmDevice
	}
	if d.mismatch(c) == nil {
		return DeviceConfirmed, "device identifier confirmed: " + c.DeviceID(), nil
	}
	read := d.IMEI
	if read == "" {
		read = d.Serial
	}
	return DeviceMismatch, "device identifier read at intake: " + read + " (claimed: " + c.DeviceID() + ")", nil
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
	if c.ReceivedAt != nil {
		if err := dev.mismatch(c); err != nil && !c.Flagged() {
			return View{}, false, err
		}
		v, err := s.Get(ctx, actor, rma)
		return v, false, err // scanned before: same answer, nothing written
	}
	check, note, err := dev.confirm(c)
	if err != nil {
		return View{}, false, err
	}
	v, err := s.act(ctx, actor, rma, Receive, "", func(c *Claim, now time.Time) error {
		due := now.AddDate(0, 0, s.settings.ReturnDays)
		c.ReceivedAt, c.ReturnDueAt = &now, &due
		c.DeviceCheck = check
		return nil
	})
	if err == nil && note != "" {
		// What was read off the device, for staff (buyers do not see it).
		if _, err := s.amendNoting(ctx, rma, "device check", func(c *Claim, now time.Time) (Event, []Job, bool) {
			return Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: ActionDeviceChecked, From: c.Status,
				To: c.Status, ActorID: actor.UserID, ActorRole: actor.Role, Note: note}, nil, true
		}); err != nil {
			return View{}, false, err
		}
		v, err = s.Get(ctx, actor, rma)
	}
	if errors.Is(err, ErrWrongState) {
		// Lost a race with another scan of the same label: answer as a repeat.
		if again, gerr := s.Get(ctx, actor, rma); gerr == nil && again.Claim.ReceivedAt != nil {
			return again, false, nil
		}
	}
	return v, err == nil, err
}
