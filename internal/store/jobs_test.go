package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/fault"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// TestFailedJobsDieAndRevive: a failure with a retry time rests the job; one
// without makes it dead; dead jobs list newest first with their claim's RMA
// number, page by cursor, and come back to life once; the error kept is cut
// at 500 bytes on a character boundary.
func TestFailedJobsDieAndRevive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := fixture(t, st)
		jobs := make([]claim.Job, 3)
		for i := range jobs {
			jobs[i] = claim.Job{ID: ulid.Make().String(), Kind: claim.JobNotify, ClaimID: c.ID, RunAt: now}
		}
		prev := c.Version
		c.Version++
		if err := st.UpdateClaim(ctx, c, prev, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: now, Action: "pick",
			From: c.Status, To: c.Status, ActorID: "x", ActorRole: account.Rep}, jobs); err != nil {
			t.Fatal(err)
		}
		retry := now.Add(time.Minute)
		exact := strings.Repeat("e", 500)
		long := strings.Repeat("e", 499) + "ж" // the cut falls inside the last character
		if err := st.FailJob(ctx, jobs[0].ID, now, exact, &retry); err != nil {
			t.Fatal(err)
		}
		if err := st.FailJob(ctx, jobs[1].ID, now, long, nil); err != nil {
			t.Fatal(err)
		}
		// Bytes that start no character at all are cut away whole.
		if err := st.FailJob(ctx, jobs[2].ID, now, strings.Repeat("\x80", 501), nil); err != nil {
			t.Fatal(err)
		}
		r, err := st.JobRecord(ctx, jobs[0].ID)
		if err != nil || r.DeadAt != nil || r.NextAttemptAt == nil || !r.NextAttemptAt.Equal(retry) || r.LastError != exact ||
			r.RMANumber != c.RMANumber {
			t.Errorf("a job to retry: %+v %v", r, err)
		}
		if r, err := st.JobRecord(ctx, jobs[1].ID); err != nil || r.DeadAt == nil || r.LastError != strings.Repeat("e", 499) {
			t.Errorf("a dead job: dead %v, error of %d bytes, %v", r.DeadAt, len(r.LastError), err)
		}
		if r, err := st.JobRecord(ctx, jobs[2].ID); err != nil || r.LastError != "" {
			t.Errorf("an error of no characters kept as %q: %v", r.LastError, err)
		}
		if _, err := st.JobRecord(ctx, ulid.Make().String()); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("an unknown job: %v", err)
		}

		dead, err := st.DeadJobs(ctx, "", 10)
		if err != nil || len(dead) != 2 || dead[0].ID != jobs[2].ID || dead[1].ID != jobs[1].ID || dead[0].RMANumber != c.RMANumber {
			t.Fatalf("dead jobs: %+v %v", dead, err)
		}
		if page, err := st.DeadJobs(ctx, jobs[2].ID, 10); err != nil || len(page) != 1 || page[0].ID != jobs[1].ID {
			t.Errorf("dead jobs after the cursor: %+v %v", page, err)
		}
		if page, err := st.DeadJobs(ctx, "", 1); err != nil || len(page) != 1 {
			t.Errorf("dead jobs, one a page: %+v %v", page, err)
		}

		if err := st.ReviveJob(ctx, jobs[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := st.ReviveJob(ctx, jobs[1].ID); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("reviving a live job: %v", err)
		}
		if err := st.ReviveJob(ctx, jobs[0].ID); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("reviving a resting job: %v", err)
		}
		if r, err := st.JobRecord(ctx, jobs[1].ID); err != nil || r.DeadAt != nil || r.Attempts != 0 || r.NextAttemptAt != nil {
			t.Errorf("a revived job: %+v %v", r, err)
		}
		if dead, err := st.DeadJobs(ctx, "", 10); err != nil || len(dead) != 1 || dead[0].ID != jobs[2].ID {
			t.Errorf("dead jobs after a revival: %+v %v", dead, err)
		}
		if n, err := st.PendingCount(ctx); err != nil || n != 2 {
			t.Errorf("pending: %d %v", n, err)
		}
	})
}
