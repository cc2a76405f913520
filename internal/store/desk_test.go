package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/desk"
	"rma/internal/fault"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// TestNotesAndRepliesReadBack: notes oldest first with their authors'
// names; saved replies of one language or all, by language and title; a
// deleted reply is gone.
func TestNotesAndRepliesReadBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := fixture(t, st)
		later := desk.Note{ID: ulid.Make().String(), ClaimID: c.ID, AuthorID: c.BuyerID, AuthorRole: account.Rep, Body: "second",
			CreatedAt: now.Add(time.Minute)}
		first := desk.Note{ID: ulid.Make().String(), ClaimID: c.ID, AuthorID: c.BuyerID, AuthorRole: account.Rep, Body: "first",
			CreatedAt: now}
		for _, n := range []desk.Note{later, first} {
			if err := st.AddNote(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		ns, err := st.Notes(ctx, c.ID)
		if err != nil || len(ns) != 2 || ns[0].Body != "first" || ns[1].Body != "second" || ns[0].AuthorName != "B" {
			t.Errorf("notes: %+v %v", ns, err)
		}

		reply := func(lang, title string) desk.Reply {
			return desk.Reply{ID: ulid.Make().String(), Language: lang, Title: title, Body: "b", CreatedBy: "rep", CreatedAt: now}
		}
		rs := []desk.Reply{reply("ru", "Б"), reply("en", "Thanks"), reply("en", "Photos")}
		for _, r := range rs {
			if err := st.AddReply(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		en, err := st.Replies(ctx, "en")
		if err != nil || len(en) != 2 || en[0].Title != "Photos" || en[1].Title != "Thanks" {
			t.Errorf("english replies: %+v %v", en, err)
		}
		all, err := st.Replies(ctx, "")
		if err != nil || len(all) != 3 || all[2].Language != "ru" {
			t.Errorf("all replies: %+v %v", all, err)
		}
		if got, err := st.Reply(ctx, rs[0].ID); err != nil || got.Title != "Б" || !got.CreatedAt.Equal(now) {
			t.Errorf("one reply: %+v %v", got, err)
		}
		if err := st.DeleteReply(ctx, rs[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Reply(ctx, rs[0].ID); !errors.Is(err, fault.ErrNoRecord) {
			t.Errorf("deleted reply: %v", err)
		}
	})
}

// TestQueueFactsRepeatWithinAYear: a device with another claim less than
// 365 days before or after is a repeat; one exactly 365 days away, or on
// another device, is not; a serial number counts when there is no IMEI.
func TestQueueFactsRepeatWithinAYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a := fixture(t, st)
		add := func(imei, serial string, at time.Time) claim.Claim {
			c := a
			c.ID, c.RMANumber, c.IMEI, c.SerialNumber, c.Status = ulid.Make().String(), claim.NewRMANumber(), imei, serial, claim.Delivered
			c.CreatedAt, c.UpdatedAt = at, at
			if err := st.CreateClaim(ctx, c, submitted(c), nil); err != nil {
				t.Fatal(err)
			}
			return c
		}
		year := 365 * 24 * time.Hour
		b := add(a.IMEI, "", now.Add(-200*24*time.Hour))  // a's device, within the year
		far := add("356938035643809", "", now.Add(-year)) // another device, a year before
		farB := add("356938035643809", "", now)           // its next claim, exactly a year later
		s1 := add("", "SN-1", now)
		s2 := add("", "SN-1", now.Add(-time.Hour))
		lone := add("", "SN-2", now)
		claims := []claim.Claim{a, b, far, farB, s1, s2, lone}
		facts, err := st.QueueFacts(ctx, claims)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{a.ID: true, b.ID: true, far.ID: false, farB.ID: false, s1.ID: true, s2.ID: true, lone.ID: false}
		for _, c := range claims {
			f, ok := facts[c.ID]
			if !ok || f.Repeat != want[c.ID] || f.Country != "DE" || f.Attachments != 0 {
				t.Errorf("facts of %s/%s at %v: %+v (repeat want %v)", c.IMEI, c.SerialNumber, c.CreatedAt, f, want[c.ID])
			}
		}
		// Claims without any device read no other claims.
		a.IMEI = ""
		if facts, err := st.QueueFacts(ctx, []claim.Claim{a}); err != nil || facts[a.ID].Repeat || facts[a.ID].Country != "DE" {
			t.Errorf("a claim without a device: %+v %v", facts, err)
		}
	})
}
