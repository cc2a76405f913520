package claim

import (
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/order"
)

// DeviceCheck says how the claimed identifier (IMEI or serial number) is
// known to be the claimed device's.
type DeviceCheck string

// How a claim's device identifier stands.
const (
	// DeviceOnOrder: the order records the identifier; nobody else can
	// claim it while the claim is open.
	DeviceOnOrder DeviceCheck = "order"
	// DeviceClaimed: the order records none, so the buyer's word is all
	// there is until the technician reads it off the device at intake.
	DeviceClaimed DeviceCheck = "claimed"
	// DeviceConfirmed: read off the device at intake, and it is the
	// claimed one.
	DeviceConfirmed DeviceCheck = "confirmed"
	// DeviceMismatch: read off the device at intake, and it is another;
	// the claim is flagged for a rep.
	DeviceMismatch DeviceCheck = "mismatch"
)

// Unproven reports whether the claimed identifier rests on the buyer's word
// alone: the order records none and no technician has read it yet.
func (c Claim) Unproven() bool { return c.DeviceCheck == DeviceClaimed }

// OnOrder reports whether the order recorded the claimed identifier.
func (c Claim) OnOrder() bool { return c.DeviceCheck == DeviceOnOrder || c.DeviceCheck == "" }

// Flagged reports whether a rep should look at the claim's device: another
// open claim names the same identifier, or the device that came in is not
// the claimed one.
func (c Claim) Flagged() bool { return c.DeviceConflict || c.DeviceCheck == DeviceMismatch }

// OpenKey is what the store keeps unique among open claims. A claim whose
// identifier the order records holds the identifier itself: one open claim
// per device, strictly. A claim on the buyer's word holds its order and
// identifier together, so that it never blocks the owner whose order
// records the device (nor another buyer): the same order cannot claim the
// same device twice at once, and claims of different orders on one device
// are flagged as a conflict instead (ConflictEvents).
func (c Claim) OpenKey() string {
	if c.OnOrder() {
		return c.DeviceID()
	}
	return "~" + c.OrderNumber + "~" + c.DeviceID()
}

// deviceCheckOf is how a new claim's identifier stands: on the order when
// the order records the identifier it is claimed by.
func deviceCheckOf(o *order.Order, r Request) DeviceCheck {
	if o != nil && (r.IMEI != "" && o.IMEI == r.IMEI || r.SerialNumber != "" && o.SerialNumber == r.SerialNumber) {
		return DeviceOnOrder
	}
	return DeviceClaimed
}

// ActionDeviceChecked is the event that records what a technician read off
// a device whose claim rested on the buyer's word.
const ActionDeviceChecked Action = "device_checked"

// StaffOnly reports whether the event is hidden from the buyer: the device
// checks name other claims or what was read off the device.
func (e Event) StaffOnly() bool {
	return e.Action == ActionDeviceConflict || e.Action == ActionDeviceChecked
}

// ForBuyer drops from a view what its buyer does not see.
func (v View) ForBuyer() View {
	evs := make([]Event, 0, len(v.Events))
	for _, e := range v.Events {
		if !e.StaffOnly() {
			evs = append(evs, e)
		}
	}
	v.Events = evs
	return v
}

// ActionDeviceConflict is the event written on each open claim of a device
// when another claim names the same identifier; the status does not change.
const ActionDeviceConflict Action = "device_conflict"

// ConflictEvents returns the events of a device conflict found when c was
// filed while others, open claims of the same device, exist: one on every
// claim not flagged yet (c included), each naming the other claims. The
// caller sets the flags in the same write. Nothing is refused: the rep
// decides whose device it is.
func ConflictEvents(c Claim, others []Claim, at time.Time) []Event {
	if len(others) == 0 {
		return nil
	}
	all := append([]Claim{c}, others...)
	var out []Event
	for i, x := range all {
		if x.DeviceConflict {
			continue
		}
		var names []string
		for j, y := range all {
			if j != i {
				names = append(names, y.RMANumber)
			}
		}
		out = append(out, Event{ID: ulid.Make().String(), ClaimID: x.ID, At: at, Action: ActionDeviceConflict,
			From: x.Status, To: x.Status, ActorID: systemActor.UserID, ActorRole: System,
			Note: "open claims on the same device: " + strings.Join(names, ", ")})
	}
	return out
}
