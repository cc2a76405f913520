package web

import "rma/internal/claim"

// DeviceFlag names, for the rep's marker, why a claim's device needs a
// look: another open claim names the same identifier, or the device that
// came in is not the claimed one ("" when neither).
func (p page) DeviceFlag(c claim.Claim) string {
	switch {
	case c.DeviceCheck == claim.DeviceMismatch && c.DeviceConflict:
		return p.T("device.flag_conflict") + " · " + p.T("device.flag_mismatch")
	case c.DeviceCheck == claim.DeviceMismatch:
		return p.T("device.flag_mismatch")
	case c.DeviceConflict:
		return p.T("device.flag_conflict")
	}
	return ""
}
