package worker

import (
	"testing"

	"rma/internal/claim"
)

// TestEveryJobKindHasItsAction: the domain's catalogue and the worker's
// agree, kind for kind.
func TestEveryJobKindHasItsAction(t *testing.T) {
	for _, k := range claim.JobKinds {
		if !k.Known() {
			t.Errorf("%s has no domain rules", k)
		}
		if actions[k] == nil {
			t.Errorf("%s has no action", k)
		}
	}
	if len(actions) != len(claim.JobKinds) {
		t.Errorf("%d actions for %d kinds", len(actions), len(claim.JobKinds))
	}
}
