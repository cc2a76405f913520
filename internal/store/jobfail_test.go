package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/claim"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// A failed job keeps at most 500 bytes of its error, cut before a
// character rather than through it, so the text stays valid UTF-8; a
// failure without a retry time is dead, one with it rests until then.
func TestFailedJobKeepsItsErrorWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := fixture(t, st)
		job := func() string {
			t.Helper()
			j := claim.Job{ID: ulid.Make().String(), Kind: claim.JobNotify, ClaimID: c.ID, RunAt: now}
			prev := c.Version
			c.Version++
			if err := st.UpdateClaim(ctx, c, prev, claim.Event{}, []claim.Job{j}); err != nil {
				t.Fatal(err)
			}
			return j.ID
		}
		cases := []struct{ reason, want string }{
			{strings.Repeat("é", 250), strings.Repeat("é", 250)},             // 500 bytes: kept whole
			{"x" + strings.Repeat("é", 300), "x" + strings.Repeat("é", 249)}, // byte 500 is inside a letter
			{strings.Repeat("a", 600), strings.Repeat("a", 500)},
			{"short", "short"},
		}
		for _, tc := range cases {
			id := job()
			retry := now.Add(time.Minute)
			if err := st.FailJob(ctx, id, now, tc.reason, &retry); err != nil {
				t.Fatal(err)
			}
			r, err := st.JobRecord(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if r.LastError != tc.want {
				t.Errorf("%d bytes of error kept as %d bytes, want %d", len(tc.reason), len(r.LastError), len(tc.want))
			}
			if r.DeadAt != nil || r.NextAttemptAt == nil || !r.NextAttemptAt.Equal(retry) {
				t.Errorf("a failure with a retry: dead %v, next %v; want alive, next at %s", r.DeadAt, r.NextAttemptAt, retry)
			}
		}
		id := job()
		if err := st.FailJob(ctx, id, now, "gave up", nil); err != nil {
			t.Fatal(err)
		}
		r, err := st.JobRecord(ctx, id)
		if err != nil || r.DeadAt == nil || r.LastError != "gave up" {
			t.Errorf("a failure without a retry: %+v, %v; want dead with its error", r, err)
		}
	})
}
