package dispute

import (
	"fmt"
	"testing"

	"rma/internal/account"
	"rma/internal/fault"
)

// allowed is DESIGN.md's Basic protection table written out by hand, one
// line per (action, from, role): the test checks the code's table against
// it for every status, every action and every role.
var allowed = map[string]Status{}

func init() {
	add := func(action Action, to Status, roles []account.Role, from ...Status) {
		for _, f := range from {
			for _, r := range roles {
				allowed[fmt.Sprint(action, "|", f, "|", r)] = to
			}
		}
	}
	B, S, R, Sys := []account.Role{account.Buyer}, []account.Role{account.Seller}, []account.Role{account.Rep},
		[]account.Role{System}
	add(OpenDispute, Open, B, NoDispute)
	add(Accept, Agreed, S, Open)
	add(Offer, Offered, S, Open)
	add(AcceptOffer, Agreed, B, Offered)
	add(Decline, Open, B, Offered)
	add(Refuse, Refused, S, Open)
	add(Escalate, Escalated, B, Offered, Refused)
	add(Escalate, Escalated, S, Offered, Refused)
	add(AutoEscalate, Escalated, Sys, Open)
	add(DecideRefund, Agreed, R, Escalated)
	add(DecideReject, Rejected, R, Escalated)
	add(SendBack, Returning, B, Agreed)
	add(ConfirmReturn, Refunded, S, Returning)
	add(ConfirmReturn, Refunded, Sys, Returning)
	add(Refund, Refunded, Sys, Agreed)
	add(Withdraw, Withdrawn, B, Open, Offered, Refused)
	add(Close, Closed, Sys, Refunded, Rejected, Withdrawn)
}

var allActions = []Action{OpenDispute, Accept, Offer, AcceptOffer, Decline, Refuse, Escalate, AutoEscalate,
	DecideRefund, DecideReject, SendBack, ConfirmReturn, Refund, Withdraw, Close}

func TestTransitionTableIsExhaustivelyRight(t *testing.T) {
	roles := append(append([]account.Role{}, account.Roles...), System)
	if len(roles) != 6 {
		t.Fatalf("the test knows 6 roles (buyer, rep, technician, admin, seller, system), not %d", len(roles))
	}
	if len(transitions) != len(allActions) || len(Actions()) != len(allActions) {
		t.Fatalf("table has %d actions, the test knows %d", len(transitions), len(allActions))
	}
	states := append([]Status{NoDispute}, Statuses...)
	checked, permitted := 0, 0
	for _, action := range allActions {
		mayAct := map[account.Role]bool{}
		for _, st := range states {
			for _, role := range roles {
				if _, ok := allowed[fmt.Sprint(action, "|", st, "|", role)]; ok {
					mayAct[role] = true
				}
			}
		}
		for _, st := range states {
			for _, role := range roles {
				checked++
				want, ok := allowed[fmt.Sprint(action, "|", st, "|", role)]
				got, err := Next(action, st, role)
				if Can(action, st, role) != ok {
					t.Errorf("Can(%s, %s, %s) = %v, want %v", action, st, role, !ok, ok)
				}
				switch {
				case ok:
					permitted++
					if err != nil || got != want {
						t.Errorf("%s from %s by %s: got %q, %v; want %q", action, st, role, got, err, want)
					}
				case !mayAct[role]:
					if !fault.Is(err, fault.Forbidden) {
						t.Errorf("%s from %s by %s: got %q, %v; want forbidden", action, st, role, got, err)
					}
				default:
					if !fault.Is(err, fault.Conflict) {
						t.Errorf("%s from %s by %s: got %q, %v; want conflict", action, st, role, got, err)
					}
				}
			}
		}
	}
	if want := len(allActions) * len(states) * len(roles); checked != want || permitted != len(allowed) {
		t.Errorf("checked %d combinations (want %d), %d permitted (want %d)", checked, want, permitted, len(allowed))
	}
	if permitted != 23 {
		t.Errorf("%d permitted combinations, the table of DESIGN.md has 23", permitted)
	}
}

func TestClosedAllowsNothing(t *testing.T) {
	roles := append(append([]account.Role{}, account.Roles...), System)
	for _, a := range Actions() {
		for _, r := range roles {
			if Can(a, Closed, r) {
				t.Errorf("%s may %s a closed dispute", r, a)
			}
		}
	}
}

func TestUnknownActionIsInvalid(t *testing.T) {
	if _, err := Next("bribe", Open, account.Seller); !fault.Is(err, fault.Invalid) {
		t.Fatalf("unknown action: %v", err)
	}
}

func TestActiveStatuses(t *testing.T) {
	for _, st := range Statuses {
		want := st == Open || st == Offered || st == Agreed || st == Refused || st == Escalated || st == Returning
		if st.Active() != want {
			t.Errorf("%s active = %v", st, !want)
		}
	}
}
