package claim

import (
	"fmt"
	"testing"

	"rma/internal/account"
	"rma/internal/fault"
)

// allowed is DESIGN.md's lifecycle table written out by hand, one line per
// (action, from, role): the test checks the code's table against it for
// every status, every action and every role, so a change to either shows.
var allowed = map[string]Status{}

func init() {
	add := func(action Action, to Status, roles []account.Role, from ...Status) {
		for _, f := range from {
			for _, r := range roles {
				allowed[fmt.Sprint(action, "|", f, "|", r)] = to
			}
		}
	}
	B, R, T, S := []account.Role{account.Buyer}, []account.Role{account.Rep},
		[]account.Role{account.Technician}, []account.Role{System}
	add(Submit, Submitted, B, NoClaim)
	add(Pick, UnderReview, R, Submitted)
	add(Approve, Approved, R, Submitted, UnderReview, InfoRequested)
	add(Reject, Rejected, R, Submitted, UnderReview, InfoRequested)
	add(RequestInfo, InfoRequested, R, Submitted, UnderReview)
	add(Answer, UnderReview, B, InfoRequested)
	add(Cancel, Cancelled, B, Submitted, UnderReview, InfoRequested, Approved, InTransit)
	add(MarkSent, InTransit, B, Approved)
	add(Receive, Received, T, Approved, InTransit)
	add(StartDiagnosis, Diagnosing, T, Received)
	add(DecideRepair, Repairing, T, Received, Diagnosing)
	add(DecideReplace, Replacing, T, Received, Diagnosing)
	add(DecideReturnUnrepaired, ReturningUnrepaired, T, Received, Diagnosing)
	add(Ready, ReadyToShip, T, Repairing, Replacing, ReturningUnrepaired)
	add(ShipBack, Shipped, T, ReadyToShip)
	add(Deliver, Delivered, append(append(B, T...), S...), Shipped)
	add(Close, Closed, S, Delivered)
	add(Expire, Expired, S, Approved)
	add(Abandon, Abandoned, S, InfoRequested)
}

var allActions = []Action{Submit, Pick, Approve, Reject, RequestInfo, Answer, Cancel, MarkSent, Receive, StartDiagnosis,
	DecideRepair, DecideReplace, DecideReturnUnrepaired, Ready, ShipBack, Deliver, Close, Expire, Abandon}

func TestTransitionTableIsExhaustivelyRight(t *testing.T) {
	roles := append(append([]account.Role{}, account.Roles...), System)
	if len(roles) != 6 {
		t.Fatalf("the test knows 6 roles (buyer, rep, technician, admin, seller, system), not %d", len(roles))
	}
	if len(transitions) != len(allActions) || len(Actions()) != len(allActions) {
		t.Fatalf("table has %d actions, the test knows %d", len(transitions), len(allActions))
	}
	// the states an action may start from: every status, and none yet
	states := append([]Status{NoClaim}, Statuses...)
	checked, permitted := 0, 0
	for _, action := range allActions {
		// a role that may do the action from somewhere
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
}

func TestTerminalStatusesAllowNothing(t *testing.T) {
	for _, st := range []Status{Rejected, Cancelled, Expired, Closed, Abandoned} {
		if !st.Terminal() || st.Open() {
			t.Errorf("%s should be terminal", st)
		}
		for action, rule := range transitions {
			for _, from := range rule.From {
				if from == st {
					t.Errorf("%s leaves terminal %s", action, st)
				}
			}
		}
	}
}
