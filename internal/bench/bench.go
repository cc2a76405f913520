// Package bench is the technician's bench beyond the claim's lifecycle: the
// intake checklist, the diagnosis codes, the parts used and a center's
// stock of them, and a device's history across claims. It builds on the
// claim service for who may see what.
package bench

import (
	"context"
	"log/slog"
	"time"

	"rma/internal/claim"
)

// Store is what the bench needs from the database. Reads of a missing row
// return fault.ErrNoRecord.
type Store interface {
	// PutIntakeCheck writes the check (replacing an earlier one) and its
	// events in one transaction.
	PutIntakeCheck(ctx context.Context, chk IntakeCheck, evs []claim.Event) error
	IntakeCheck(ctx context.Context, claimID string) (IntakeCheck, error)

	// UseParts records the parts a claim used and takes them from the
	// center's stock in one transaction: a part the center stocks with too
	// few left fails the whole with an *OutOfStock. It returns the parts
	// whose stock is now at or below its warning level.
	UseParts(ctx context.Context, claimID, center string, parts []Part, codes []string, at time.Time) ([]Stock, error)
	// ReleaseParts undoes UseParts when the diagnosis it belonged to was
	// refused.
	ReleaseParts(ctx context.Context, claimID, center string, parts []Part) error
	PartsUsed(ctx context.Context, claimID string) ([]Part, []string, error)
	PutStock(ctx context.Context, s Stock) error
	Stock(ctx context.Context, center string) ([]Stock, error)

	// DeviceClaims returns the claims of a device and those that replaced
	// it or that it replaced (IMEI or replacement IMEI equal to id).
	DeviceClaims(ctx context.Context, id string) ([]claim.Claim, error)
}

// Service runs the bench.
type Service struct {
	claims *claim.Service
	store  Store
	log    *slog.Logger
	// onLock is told when a device's activation lock is found on or
	// confirmed off; the promise ledger pauses and resumes the return
	// promise on it.
	onLock LockHook
}

// LockHook is told, after the intake check is written, that the claim's
// activation lock changed: on (the return promise should pause) or off (it
// should resume). The same change is in the claim's events as
// ActionLockOn / ActionLockOff, written in the check's transaction.
type LockHook func(ctx context.Context, c claim.Claim, on bool, at time.Time)

// NewService returns the bench service; hook may be nil.
func NewService(claims *claim.Service, store Store, log *slog.Logger, hook LockHook) *Service {
	return &Service{claims: claims, store: store, log: log, onLock: hook}
}
