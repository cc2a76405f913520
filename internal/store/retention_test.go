package store_test

import (
	"context"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/mail"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// The purge removes what is past its retention and nothing else, on both
// databases; a zero cutoff keeps a kind for ever.
func TestPurgeKeepsWhatIsStillNeeded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		old, recent := now.AddDate(0, 0, -60), now.AddDate(0, 0, -1)
		u := account.User{ID: "01USER0000000000000000000A", Email: "b@example.com", Name: "B", PasswordHash: "x",
			Role: account.Buyer, Language: "en", Status: account.Active, CreatedAt: old}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		for i, tok := range []struct {
			created, expires time.Time
		}{{old, old.Add(time.Hour)}, {recent, now.Add(time.Hour)}} {
			if err := st.CreateToken(ctx, u.ID, string(rune('a'+i))+"-hash", tok.expires, tok.created); err != nil {
				t.Fatal(err)
			}
		}
		for i, at := range []time.Time{old, recent} {
			if err := st.PutLink(ctx, account.Link{Hash: string(rune('a'+i)) + "-link", Purpose: account.ResetLink,
				Email: u.Email, Language: "en", ExpiresAt: at.Add(24 * time.Hour)}, at); err != nil {
				t.Fatal(err)
			}
			if _, err := st.PutMail(ctx, string(rune('A'+i))+"MAIL00000000000000000000", mail.Message{DedupeKey: string(rune('a' + i)),
				To: u.Email, Subject: "s", Language: "en", Kind: "notify", Text: "t", HTML: "h"}, mail.Pending, at); err != nil {
				t.Fatal(err)
			}
		}
		cut := now.AddDate(0, 0, -30)
		kept, err := st.Purge(ctx, store.Retention{Tokens: cut, Slips: cut, Jobs: cut}) // mail kept for ever
		if err != nil {
			t.Fatal(err)
		}
		if kept["tokens"] != 1 || kept["links"] != 1 || kept["mail"] != 0 {
			t.Errorf("first purge: %v", kept)
		}
		purged, err := st.Purge(ctx, store.Retention{Tokens: cut, Mail: cut, Slips: cut, Jobs: cut})
		if err != nil {
			t.Fatal(err)
		}
		if purged["tokens"] != 0 || purged["links"] != 0 || purged["mail"] != 1 {
			t.Errorf("second purge: %v", purged)
		}
		if _, err := st.UserByToken(ctx, "b-hash", now); err != nil {
			t.Errorf("the live token went: %v", err)
		}
		var n int64
		st.DB().Table("mail").Count(&n)
		if n != 1 {
			t.Errorf("%d e-mails left", n)
		}
	})
}
