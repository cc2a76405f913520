package sim_test

import (
	"bytes"
	"context"
	"testing"

	"rma/internal/sim"
)

func TestQuickMonth(t *testing.T) {
	rep, err := sim.Run(context.Background(), sim.Options{Days: 30, Claims: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rep.Print(&b)
	t.Log("\n"+b.String(), rep.Elapsed)
}
