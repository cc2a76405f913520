package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/promise"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// TestPromisesRoundTripAndTally: a claim's promises read back with their
// pauses, are updated in place by a later change, and are counted per kind
// and state, a paused clock never overdue, within the filter's due window.
func TestPromisesRoundTripAndTally(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a := fixture(t, st)
		c := a
		c.ID, c.RMANumber, c.IMEI = ulid.Make().String(), claim.NewRMANumber(), "356938035643809"
		resumed, pausedAt := now.Add(2*time.Hour), now.Add(3*time.Hour)
		answer := promise.Make(ulid.Make().String(), promise.Answer, now, now.Add(24*time.Hour))
		answer.Pauses = []promise.Pause{{Reason: "question", From: now.Add(time.Hour), To: &resumed}, {Reason: "again", From: pausedAt}}
		shipBy := promise.Make(ulid.Make().String(), promise.ShipBy, now, now.Add(-time.Hour))
		ret := promise.Make(ulid.Make().String(), promise.Return, now, now.Add(48*time.Hour))
		settled := now.Add(time.Hour)
		ret.State, ret.SettledAt = promise.Kept, &settled
		c.Promises = []promise.Promise{answer, shipBy, ret}
		if err := st.CreateClaim(ctx, c, submitted(c), nil); err != nil {
			t.Fatal(err)
		}
		got, err := st.ClaimWithPromises(ctx, c.RMANumber)
		if err != nil || len(got.Promises) != 3 {
			t.Fatalf("promises: %+v %v", got.Promises, err)
		}
		if p := got.Promises[0]; !reflect.DeepEqual(p.Pauses, answer.Pauses) || !p.Paused() {
			t.Errorf("pauses read back: %+v", p.Pauses)
		}
		var paused struct{ PausedAt *time.Time }
		if err := st.DB().Table("promises").Select("paused_at").Where("id = ?", answer.ID).Scan(&paused).Error; err != nil ||
			paused.PausedAt == nil || !paused.PausedAt.Equal(pausedAt) {
			t.Errorf("paused_at: %v %v, want the last pause's start", paused.PausedAt, err)
		}
		var bare int64
		if err := st.DB().Table("promises").Where("id IN ? AND pauses IS NULL", []string{shipBy.ID, ret.ID}).Count(&bare).Error; err != nil || bare != 2 {
			t.Errorf("promises never paused with a pauses list: %d %v", 2-bare, err)
		}
		if got.Promises[2].State != promise.Kept || got.Promises[2].SettledAt == nil || !got.Promises[2].SettledAt.Equal(settled) {
			t.Errorf("a kept promise: %+v", got.Promises[2])
		}

		at := now.Add(36 * time.Hour)
		window := promise.Filter{From: now.Add(-24 * time.Hour), To: now.Add(72 * time.Hour)}
		tally := func(f promise.Filter) map[promise.Kind]promise.Tally {
			ts, err := st.PromiseTally(ctx, f, at)
			if err != nil || len(ts) != len(promise.Kinds) {
				t.Fatalf("tally: %+v %v", ts, err)
			}
			m := map[promise.Kind]promise.Tally{}
			for _, x := range ts {
				m[x.Kind] = x
			}
			return m
		}
		all := tally(window)
		want := map[promise.Kind]promise.Tally{
			promise.Answer: {Kind: promise.Answer, Open: 1},
			promise.ShipBy: {Kind: promise.ShipBy, Open: 1, OpenOverdue: 1},
			promise.Return: {Kind: promise.Return, Kept: 1},
		}
		for _, k := range promise.Kinds {
			w, ok := want[k]
			if !ok {
				w = promise.Tally{Kind: k}
			}
			if all[k] != w {
				t.Errorf("tally of %s: %+v, want %+v", k, all[k], w)
			}
		}
		for _, f := range []promise.Filter{
			{From: window.From, To: window.To, Center: "BER", Language: "en", Country: "DE"},
		} {
			if got := tally(f); !reflect.DeepEqual(got, all) {
				t.Errorf("tally of %+v: %+v", f, got)
			}
		}
		for _, f := range []promise.Filter{
			{From: window.From, To: window.To, Center: "MAD"},
			{From: window.From, To: window.To, Language: "ru"},
			{From: window.From, To: window.To, Country: "FR"},
			{From: now.Add(72 * time.Hour), To: now.Add(96 * time.Hour)},
		} {
			for k, x := range tally(f) {
				if x != (promise.Tally{Kind: k}) {
					t.Errorf("tally of %+v counts %+v", f, x)
				}
			}
		}

		// A later change updates the promise in place.
		answer.State, answer.SettledAt, answer.Pauses[1].To = promise.Kept, &at, &at
		c.Promises = []promise.Promise{answer, shipBy, ret}
		prev := c.Version
		c.Version++
		if err := st.UpdateClaim(ctx, c, prev, claim.Event{ID: ulid.Make().String(), ClaimID: c.ID, At: at, Action: "answer",
			From: c.Status, To: c.Status, ActorID: "rep", ActorRole: account.Rep}, nil); err != nil {
			t.Fatal(err)
		}
		got, err = st.ClaimWithPromises(ctx, c.RMANumber)
		if err != nil || len(got.Promises) != 3 || got.Promises[0].State != promise.Kept || got.Promises[0].Paused() {
			t.Errorf("an updated promise: %+v %v", got.Promises, err)
		}
		if x := tally(window)[promise.Answer]; x.Kept != 1 || x.Open != 0 {
			t.Errorf("tally after keeping the answer: %+v", x)
		}
	})
}
