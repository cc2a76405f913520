package fault

import (
	"errors"
	"fmt"
	"testing"
)

func TestFaultsAreRecognisedByIdentity(t *testing.T) {
	wrongState := New(Conflict, "claim_wrong_state")
	withArgs := fmt.Errorf("approve claim: %w", wrongState.With("Status", "approved"))
	cases := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"a copy with arguments, wrapped", withArgs, wrongState, true},
		{"the kind sentinel", withArgs, ErrConflict, true},
		{"another kind", withArgs, ErrInvalid, false},
		{"another reason of the same kind", New(Conflict, "device_has_open_claim"), wrongState, false},
		{"a field error is invalid", Field("imei", "imei_invalid"), ErrInvalid, true},
		{"a plain error", errors.New("claim_wrong_state"), wrongState, false},
		{"a store sentinel is not a fault", ErrNoRecord, ErrNotFound, false},
	}
	for _, c := range cases {
		if got := errors.Is(c.err, c.target); got != c.want {
			t.Errorf("%s: errors.Is = %v, want %v", c.name, got, c.want)
		}
	}
	if !Is(withArgs, Conflict) || Is(withArgs, NotFound) {
		t.Error("Is by kind is wrong")
	}
}
