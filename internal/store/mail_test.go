package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/account"
	"rma/internal/mail"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// TestMailKeepsOnceLeasesAndLists: a message is kept once per dedupe key; a
// lease is taken by one worker until it runs out; the list filters by
// address, part of it, claim, status, time and cursor, newest first.
func TestMailKeepsOnceLeasesAndLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		put := func(key, to, rma string, at time.Time) mail.Record {
			r, err := st.PutMail(ctx, ulid.Make().String(), mail.Message{DedupeKey: key, To: to, Subject: "s", Language: "en",
				RMANumber: rma, Kind: "notice", Text: "t", AttachmentName: "a.pdf", Attachment: []byte("%PDF")}, mail.Pending, at)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		first := put("k1", "Ann_X@example.com", "RMA-1", now)
		if again := put("k1", "other@example.com", "RMA-9", now.Add(time.Hour)); again.ID != first.ID || again.To != first.To {
			t.Errorf("a second message with the key: %+v, want the kept %s", again, first.ID)
		}
		second := put("k2", "annx@example.com", "RMA-2", now.Add(time.Hour))
		third := put("k3", "bob@example.com", "RMA-1", now.Add(2*time.Hour))

		r, ok, err := st.TakeMail(ctx, first.ID, now, time.Minute)
		if err != nil || !ok || r.Attempts != 1 || r.Status != mail.Pending {
			t.Errorf("take: %+v %v %v", r, ok, err)
		}
		if _, ok, err := st.TakeMail(ctx, first.ID, now.Add(30*time.Second), time.Minute); err != nil || ok {
			t.Errorf("taken while leased: %v %v", ok, err)
		}
		if r, ok, err := st.TakeMail(ctx, first.ID, now.Add(time.Minute), time.Minute); err != nil || !ok || r.Attempts != 2 {
			t.Errorf("taken when the lease ran out: %+v %v %v", r, ok, err)
		}
		sent := now.Add(time.Minute)
		if err := st.SetMailStatus(ctx, first.ID, mail.Sent, "", &sent); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := st.TakeMail(ctx, first.ID, now.Add(time.Hour), time.Minute); err != nil || ok {
			t.Errorf("a sent message taken: %v %v", ok, err)
		}
		if _, _, err := st.TakeMail(ctx, ulid.Make().String(), now, time.Minute); err == nil {
			t.Error("an unknown message taken")
		}
		if err := st.SetMailStatus(ctx, second.ID, mail.Failed, "refused", nil); err != nil {
			t.Fatal(err)
		}

		ids := func(f mail.Filter) []string {
			if f.Limit == 0 {
				f.Limit = 10
			}
			rs, err := st.ListMail(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rs {
				if r.Attachment != nil {
					t.Errorf("the list carries the attachment of %s", r.ID)
				}
				out = append(out, r.ID)
			}
			return out
		}
		for _, x := range []struct {
			name string
			f    mail.Filter
			want []string
		}{
			{"all", mail.Filter{}, []string{third.ID, second.ID, first.ID}},
			{"one a page", mail.Filter{Limit: 1}, []string{third.ID}},
			{"after the cursor", mail.Filter{Before: third.ID}, []string{second.ID, first.ID}},
			{"to", mail.Filter{To: "bob@example.com"}, []string{third.ID}},
			{"claim", mail.Filter{RMANumber: "RMA-1"}, []string{third.ID, first.ID}},
			{"part, any case, _ literal", mail.Filter{ToPart: "N_x"}, []string{first.ID}},
			{"status", mail.Filter{Status: mail.Failed}, []string{second.ID}},
			{"from", mail.Filter{From: now.Add(time.Hour)}, []string{third.ID, second.ID}},
			{"until", mail.Filter{Until: now.Add(time.Hour)}, []string{first.ID}},
		} {
			if got := ids(x.f); !equal(got, x.want) {
				t.Errorf("%s: %v, want %v", x.name, got, x.want)
			}
		}
		full, err := st.ListMailFull(ctx, "RMA-1", "notice")
		if err != nil || len(full) != 2 || full[0].ID != first.ID || string(full[0].Attachment) != "%PDF" {
			t.Errorf("full list: %d %v", len(full), err)
		}
	})
}

// TestStaffOfARole: active users of a role, of one center when asked.
func TestStaffOfARole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fixture(t, st)
		for _, u := range []account.User{
			{Email: "z@example.com", CenterCode: "BER", Status: account.Active},
			{Email: "a@example.com", CenterCode: "", Status: account.Active},
			{Email: "off@example.com", CenterCode: "BER", Status: account.Suspended},
		} {
			u.ID, u.Name, u.PasswordHash, u.Role, u.Language, u.CreatedAt = ulid.Make().String(), "T", "x", account.Technician, "en", now
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		emails := func(center string) []string {
			us, err := st.Staff(ctx, account.Technician, center)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, u := range us {
				out = append(out, u.Email)
			}
			return out
		}
		if got := emails(""); !equal(got, []string{"a@example.com", "z@example.com"}) {
			t.Errorf("technicians: %v", got)
		}
		if got := emails("BER"); !equal(got, []string{"z@example.com"}) {
			t.Errorf("technicians of BER: %v", got)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
