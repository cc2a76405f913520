package claim

import (
	"context"
	"fmt"
	"strings"

	"rma/internal/account"
	"rma/internal/imei"
)

// OpenOnDevice returns the open claim on the device of an order the actor
// may claim under: the device given (an IMEI or a serial number), else the
// order's own. found is false when the device has none. A claim the actor
// may not see comes back without its RMA number: the device is taken, but
// by someone else's claim.
func (s *Service) OpenOnDevice(ctx context.Context, actor account.Actor, orderNumber, device string) (c Claim, found bool, err error) {
	base, _, err := s.orderStanding(ctx, actor, orderNumber)
	if err != nil || base.Order == nil {
		return Claim{}, false, err
	}
	device = strings.TrimSpace(device)
	if n := imei.Normalize(device); imei.Valid(n) {
		device = n
	}
	if device == "" {
		device = base.Order.IMEI
		if device == "" {
			device = base.Order.SerialNumber
		}
	}
	if device == "" {
		return Claim{}, false, nil
	}
	list, err := s.store.ListClaims(ctx, Filter{Device: device, Limit: 50, Now: s.Now()})
	if err != nil {
		return Claim{}, false, fmt.Errorf("open claim on device: %w", err)
	}
	for _, cl := range list {
		if cl.Status.Open() {
			if !canSee(actor, cl) {
				return Claim{Status: cl.Status}, true, nil
			}
			return cl, true, nil
		}
	}
	return Claim{}, false, nil
}
