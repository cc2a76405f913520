package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/fault"
)

// Conditions grade a device's state at arrival.
var Conditions = []string{"as_new", "good", "worn", "damaged"}

// Activation lock states.
const (
	LockOff = "off"
	LockOn  = "on"
)

// Events the intake check writes; the status does not change.
const (
	ActionIntakeCheck claim.Action = "intake_check"
	ActionLockOn      claim.Action = "activation_lock_on"
	ActionLockOff     claim.Action = "activation_lock_off"
)

// IntakeCheck is what a technician recorded about a device at arrival.
type IntakeCheck struct {
	ClaimID        string
	Condition      string
	ConditionNote  string
	Accessories    []string
	ActivationLock string
	ByUserID       string
	CheckedAt      time.Time
}

// IntakeRequest is a technician's checklist as sent.
type IntakeRequest struct {
	Condition      string
	ConditionNote  string
	Accessories    []string
	ActivationLock string
}

// validate cleans the request or says what is wrong with each field.
func (r IntakeRequest) validate() (IntakeRequest, error) {
	var f fault.Fields
	r.Condition = strings.TrimSpace(r.Condition)
	if !slices.Contains(Conditions, r.Condition) {
		f.Add("condition", "condition_invalid")
	}
	r.ConditionNote = strings.TrimSpace(r.ConditionNote)
	if utf8.RuneCountInString(r.ConditionNote) > 2000 {
		f.Add("condition_note", "text_too_long")
	}
	var acc []string
	for _, a := range r.Accessories {
		if a = strings.TrimSpace(a); a != "" && !slices.Contains(acc, a) {
			acc = append(acc, a)
		}
		if utf8.RuneCountInString(a) > 80 {
			f.Add("accessories", "accessories_invalid")
		}
	}
	if len(acc) > 20 {
		f.Add("accessories", "accessories_invalid")
	}
	r.Accessories = acc
	r.ActivationLock = strings.TrimSpace(r.ActivationLock)
	if r.ActivationLock != LockOn && r.ActivationLock != LockOff {
		f.Add("activation_lock", "activation_lock_invalid")
	}
	return r, f.Err("invalid_input")
}

// errNotAtCenter refuses a checklist for a device that is not at the center.
var errNotAtCenter = fault.New(fault.Conflict, "claim_wrong_state")

// RecordIntake writes the checklist of a device at the technician's center.
// It may be sent again (the lock turned off, a better note): the last one
// stands, every one is in the claim's events. A lock found on, or
// confirmed off after being on, is an event of its own and goes to the
// lock hook.
func (s *Service) RecordIntake(ctx context.Context, actor account.Actor, rma string, r IntakeRequest) (claim.View, IntakeCheck, error) {
	if actor.Role != account.Technician {
		return claim.View{}, IntakeCheck{}, fault.New(fault.Forbidden, "action_forbidden")
	}
	r, err := r.validate()
	if err != nil {
		return claim.View{}, IntakeCheck{}, err
	}
	v, err := s.claims.Get(ctx, actor, rma)
	if err != nil {
		return claim.View{}, IntakeCheck{}, err
	}
	c := v.Claim
	if !c.Status.AtCenter() {
		return claim.View{}, IntakeCheck{}, errNotAtCenter.With("Status", string(c.Status))
	}
	prev, err := s.store.IntakeCheck(ctx, c.ID)
	if err != nil && !errors.Is(err, fault.ErrNoRecord) {
		return claim.View{}, IntakeCheck{}, fmt.Errorf("intake check: %w", err)
	}
	now := s.claims.Now()
	chk := IntakeCheck{ClaimID: c.ID, Condition: r.Condition, ConditionNote: r.ConditionNote, Accessories: r.Accessories,
		ActivationLock: r.ActivationLock, ByUserID: actor.UserID, CheckedAt: now}
	event := func(a claim.Action, note string) claim.Event {
		return claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: a, From: c.Status, To: c.Status,
			ActorID: actor.UserID, ActorRole: actor.Role, Note: note}
	}
	note := "condition: " + r.Condition
	if len(r.Accessories) > 0 {
		note += "; accessories: " + strings.Join(r.Accessories, ", ")
	}
	if r.ConditionNote != "" {
		note += "; " + r.ConditionNote
	}
	evs := []claim.Event{event(ActionIntakeCheck, note)}
	lockChanged := r.ActivationLock != prev.ActivationLock && (r.ActivationLock == LockOn || prev.ActivationLock == LockOn)
	if lockChanged {
		a := ActionLockOff
		if r.ActivationLock == LockOn {
			a = ActionLockOn
		}
		evs = append(evs, event(a, ""))
	}
	if err := s.store.PutIntakeCheck(ctx, chk, evs); err != nil {
		return claim.View{}, IntakeCheck{}, fmt.Errorf("intake check: %w", err)
	}
	if lockChanged {
		s.log.Info("activation lock", "rma", c.RMANumber, "on", r.ActivationLock == LockOn, "technician", actor.UserID)
		if s.onLock != nil {
			s.onLock(ctx, c, r.ActivationLock == LockOn, now)
		}
	}
	v, err = s.claims.Get(ctx, actor, rma)
	return v, chk, err
}

// Intake returns the claim's intake check, if one was recorded (the caller
// has already been allowed to see the claim).
func (s *Service) Intake(ctx context.Context, claimID string) (*IntakeCheck, error) {
	chk, err := s.store.IntakeCheck(ctx, claimID)
	if errors.Is(err, fault.ErrNoRecord) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("intake check: %w", err)
	}
	return &chk, nil
}
