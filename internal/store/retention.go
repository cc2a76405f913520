package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Retention says, per kind of row, the time before which it may go: the
// zero time keeps that kind for ever.
type Retention struct {
	Tokens time.Time // API tokens and page sessions expired or revoked before it; e-mailed links expired before it
	Mail   time.Time // kept e-mails (with their attachments) created before it
	Slips  time.Time // rendered slips created before it (drawn again if asked for)
	Jobs   time.Time // outbox jobs done before it
}

// Purged counts the rows a purge removed, by kind.
type Purged map[string]int64

// Purge deletes what the retention lets go, kind by kind. Each delete is
// its own statement: a failure leaves the kinds before it purged, and the
// next run carries on.
func (s *Store) Purge(ctx context.Context, r Retention) (Purged, error) {
	out := Purged{}
	for _, d := range []struct {
		kind, table, where string
		before             time.Time
	}{
		{"tokens", "api_tokens", "expires_at < @at OR revoked_at < @at", r.Tokens},
		{"links", "account_tokens", "expires_at < @at OR used_at < @at", r.Tokens},
		{"mail", "mail", "created_at < @at", r.Mail},
		{"slips", "slips", "created_at < @at", r.Slips},
		{"jobs", "jobs", "done_at < @at", r.Jobs},
	} {
		if d.before.IsZero() {
			continue
		}
		res := s.db.WithContext(ctx).Exec("DELETE FROM "+d.table+" WHERE "+d.where, sql.Named("at", d.before.UTC()))
		if res.Error != nil {
			return out, fmt.Errorf("purge %s: %w", d.kind, translate(res.Error))
		}
		out[d.kind] = res.RowsAffected
	}
	return out, nil
}
