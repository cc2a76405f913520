package store

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rma/internal/promise"
)

type promiseRow struct {
	ID        string `gorm:"primaryKey"`
	ClaimID   *string
	DisputeID *string
	Kind      string
	MadeAt    time.Time
	DueAt     time.Time
	State     string
	PausedAt  *time.Time // the running pause's start: open promises whose clock stands still
	SettledAt *time.Time
	BrokenAt  *time.Time
	Pauses    *string // JSON list of pauses
}

func (promiseRow) TableName() string { return "promises" }

func toPromiseRow(claimID string, p promise.Promise) promiseRow {
	r := promiseRow{ID: p.ID, ClaimID: &claimID, Kind: string(p.Kind), MadeAt: p.MadeAt.UTC(), DueAt: p.DueAt.UTC(),
		State: string(p.State), SettledAt: utc(p.SettledAt), BrokenAt: utc(p.BrokenAt)}
	if p.Paused() {
		r.PausedAt = utc(&p.Pauses[len(p.Pauses)-1].From)
	}
	if len(p.Pauses) > 0 {
		b, _ := json.Marshal(p.Pauses) // a list of plain structs always marshals
		s := string(b)
		r.Pauses = &s
	}
	return r
}

func (r promiseRow) promise() promise.Promise {
	p := promise.Promise{ID: r.ID, Kind: promise.Kind(r.Kind), MadeAt: r.MadeAt, DueAt: r.DueAt,
		State: promise.State(r.State), SettledAt: r.SettledAt, BrokenAt: r.BrokenAt}
	if r.Pauses != nil {
		_ = json.Unmarshal([]byte(*r.Pauses), &p.Pauses) // written by toPromiseRow only
		for i := range p.Pauses {
			p.Pauses[i].From = p.Pauses[i].From.UTC()
			p.Pauses[i].To = utc(p.Pauses[i].To)
		}
	}
	return p
}

// savePromises writes a claim's promises (new ones inserted, the others
// updated) inside the transaction of the claim's change.
func savePromises(tx *gorm.DB, claimID string, ps []promise.Promise) error {
	if len(ps) == 0 {
		return nil
	}
	rows := make([]promiseRow, len(ps))
	for i, p := range ps {
		rows[i] = toPromiseRow(claimID, p)
	}
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"due_at", "state", "paused_at", "settled_at", "broken_at", "pauses"})}).
		Create(&rows).Error
}

// saveDisputePromises writes a dispute's promises inside the transaction
// of the dispute's change, as savePromises does for claims.
func saveDisputePromises(tx *gorm.DB, disputeID string, ps []promise.Promise) error {
	if len(ps) == 0 {
		return nil
	}
	rows := make([]promiseRow, len(ps))
	for i, p := range ps {
		rows[i] = toPromiseRow("", p)
		rows[i].ClaimID, rows[i].DisputeID = nil, &disputeID
	}
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"due_at", "state", "paused_at", "settled_at", "broken_at", "pauses"})}).
		Create(&rows).Error
}

// promisesOf reads the promises of one claim or dispute (column names
// which), oldest first.
func promisesOf(db *gorm.DB, column, id string) ([]promise.Promise, error) {
	var rows []promiseRow
	if err := db.Where(column+" = ?", id).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]promise.Promise, len(rows))
	for i, r := range rows {
		out[i] = r.promise()
	}
	return out, nil
}

// claimPromises reads a claim's promises, oldest first.
func claimPromises(db *gorm.DB, claimID string) ([]promise.Promise, error) {
	var rows []promiseRow
	if err := db.Where("claim_id = ?", claimID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]promise.Promise, len(rows))
	for i, r := range rows {
		out[i] = r.promise()
	}
	return out, nil
}

// PromiseTally counts the promises f selects, of claims and disputes alike,
// per kind, as they stand at now: an open promise past its due time with
// its clock running counts as overdue.
func (s *Store) PromiseTally(ctx context.Context, f promise.Filter, now time.Time) ([]promise.Tally, error) {
	var rows []struct {
		Kind    string
		State   string
		Overdue int
		N       int
	}
	q := s.db.WithContext(ctx).Table("promises p").
		Select("p.kind AS kind, p.state AS state, "+
			"CASE WHEN p.state = ? AND p.paused_at IS NULL AND p.due_at < ? THEN 1 ELSE 0 END AS overdue, COUNT(*) AS n",
			string(promise.Open), now.UTC()).
		Where("p.due_at >= ? AND p.due_at < ?", f.From.UTC(), f.To.UTC())
	// The claim and the dispute are joined only for a filter that needs
	// them (each join is on a primary key, so it never changes the count):
	// without one, the tally reads the covering index alone.
	if f.Center != "" || f.Language != "" || f.Country != "" {
		q = q.Joins("LEFT JOIN claims c ON c.id = p.claim_id")
	}
	if f.Language != "" || f.Country != "" {
		q = q.Joins("LEFT JOIN disputes d ON d.id = p.dispute_id")
	}
	// A dispute's promises have no center: a center's figures are its
	// claims'. Language and country are the buyer's either way.
	if f.Center != "" {
		q = q.Where("c.center_code = ?", f.Center)
	}
	if f.Language != "" {
		q = q.Where("(c.language = ? OR d.language = ?)", f.Language, f.Language)
	}
	if f.Country != "" {
		q = q.Joins("LEFT JOIN orders o ON o.number = c.order_number").
			Where("(o.country = ? OR d.country = ?)", f.Country, f.Country)
	}
	if err := q.Group("1, 2, 3").Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]promise.Tally, len(promise.Kinds))
	for i, k := range promise.Kinds {
		out[i].Kind = k
	}
	for _, r := range rows {
		for i := range out {
			if string(out[i].Kind) == r.Kind {
				out[i].Add(promise.State(r.State), r.Overdue == 1, r.N)
			}
		}
	}
	return out, nil
}

// CountPastDue counts the open promises of the kinds whose due time is
// before now and whose clock runs, up to most: it answers most+1 when there
// are more, so that the count reads at most that many index entries
// whatever the size of the ledger.
func (s *Store) CountPastDue(ctx context.Context, kinds []promise.Kind, now time.Time, most int) (int, error) {
	ks := make([]string, len(kinds))
	for i, k := range kinds {
		ks[i] = string(k)
	}
	var n int
	sub := s.db.WithContext(ctx).Table("promises").Select("1").
		Where("state = ? AND due_at < ? AND kind IN ? AND paused_at IS NULL", string(promise.Open), now.UTC(), ks).
		Limit(most + 1)
	err := s.db.WithContext(ctx).Table("(?) AS past", sub).Select("COUNT(*)").Scan(&n).Error
	return n, translate(err)
}
