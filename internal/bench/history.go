package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/fault"
)

// Link is one end of a replacement: the device on the other side and the
// claim that made the swap.
type Link struct {
	DeviceID  string
	RMANumber string
}

// History is a device's life with us: its claims (newest first), the device
// that replaced it and the one it replaced, and whether it came back often.
type History struct {
	DeviceID   string
	Claims     []claim.Claim
	ReplacedBy *Link
	Replaces   *Link
	// Repeat: two or more claims filed within 12 months of each other.
	Repeat bool
}

// Device returns a device's history, for staff. A technician sees what
// the claims of their own center say only.
func (s *Service) Device(ctx context.Context, actor account.Actor, id string) (History, error) {
	if actor.Role != account.Rep && actor.Role != account.Admin && actor.Role != account.Technician {
		return History{}, fault.New(fault.Forbidden, "action_forbidden")
	}
	id = strings.ToUpper(strings.Join(strings.Fields(id), ""))
	if id == "" || len(id) > 64 {
		return History{}, fault.New(fault.NotFound, "device_not_found")
	}
	all, err := s.store.DeviceClaims(ctx, id)
	if err != nil {
		return History{}, fmt.Errorf("device history: %w", err)
	}
	h := History{DeviceID: id}
	var own []time.Time
	for _, c := range all {
		if actor.Role == account.Technician && c.CenterCode != actor.CenterCode {
			continue // another center's claim: not this technician's to see
		}
		if c.ReplacementIMEI == id && c.IMEI != id {
			h.Replaces = &Link{DeviceID: c.IMEI, RMANumber: c.RMANumber}
			continue
		}
		if c.ReplacementIMEI != "" && h.ReplacedBy == nil {
			h.ReplacedBy = &Link{DeviceID: c.ReplacementIMEI, RMANumber: c.RMANumber}
		}
		own = append(own, c.CreatedAt)
		h.Claims = append(h.Claims, c)
	}
	for i := 1; i < len(own); i++ { // newest first
		if own[i-1].Sub(own[i]) <= 365*24*time.Hour {
			h.Repeat = true
		}
	}
	if len(h.Claims) == 0 && h.Replaces == nil && h.ReplacedBy == nil {
		return History{}, fault.New(fault.NotFound, "device_not_found")
	}
	return h, nil
}
