package perf

import (
	"context"
	"os"
	"strings"
	"testing"

	"rma/internal/testenv"
)

// TestRatiosMeasureEveryFigure runs the harness at a tiny size on every
// target: each figure of the table is measured on both sides and the intake
// moved no claim twice. Nothing here looks at how fast anything was.
func TestRatiosMeasureEveryFigure(t *testing.T) {
	for _, target := range Targets() {
		t.Run(target.Name(), func(t *testing.T) {
			ctx := context.Background()
			e, err := Open(ctx, target)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			figs, err := Ratios(ctx, e, Tiny, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(figs) != 7 {
				t.Fatalf("%d figures, want 7", len(figs))
			}
			for _, f := range figs {
				clock := strings.HasPrefix(f.Name, "clock")
				if f.Ours < 0 || !clock && (f.Ours == 0 || f.Yard <= 0) {
					t.Errorf("%s: ours %v, yardstick %v", f.Name, f.Ours, f.Yard)
				}
			}
			if n, err := duplicateReceipts(ctx, e); err != nil || n != 0 {
				t.Errorf("claims received twice: %d (%v)", n, err)
			}
		})
	}
	if os.Getenv(MySQLEnv) == "" {
		testenv.Env(t, MySQLEnv, "MariaDB/MySQL server")
	}
}
