package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rma/internal/account"
	"rma/internal/fault"
	"rma/internal/mail"
)

type mailRow struct {
	ID             string `gorm:"primaryKey"`
	DedupeKey      string
	ToAddr         string
	Subject        string
	Language       string
	RMANumber      *string `gorm:"column:rma_number"`
	Kind           string
	BodyText       string
	BodyHTML       string `gorm:"column:body_html"`
	AttachmentName *string
	Attachment     []byte
	Status         string
	Error          *string
	CreatedAt      time.Time
	SentAt         *time.Time
	// LeaseUntil is set while one worker sends the message.
	LeaseUntil *time.Time
	Attempts   int
}

func (mailRow) TableName() string { return "mail" }

func (r mailRow) record() mail.Record {
	return mail.Record{ID: r.ID, Status: mail.Status(r.Status), Error: str(r.Error), CreatedAt: r.CreatedAt, SentAt: r.SentAt,
		LeaseUntil: r.LeaseUntil, Attempts: r.Attempts,
		Message: mail.Message{DedupeKey: r.DedupeKey, To: r.ToAddr, Subject: r.Subject, Language: r.Language,
			RMANumber: str(r.RMANumber), Kind: r.Kind, Text: r.BodyText, HTML: r.BodyHTML,
			AttachmentName: str(r.AttachmentName), Attachment: r.Attachment}}
}

// PutMail keeps a message in status st unless one with its dedupe key is
// kept, and returns the kept one.
func (s *Store) PutMail(ctx context.Context, id string, m mail.Message, st mail.Status, now time.Time) (mail.Record, error) {
	row := mailRow{ID: id, DedupeKey: m.DedupeKey, ToAddr: m.To, Subject: m.Subject, Language: m.Language,
		RMANumber: nullable(m.RMANumber), Kind: m.Kind, BodyText: m.Text, BodyHTML: m.HTML,
		AttachmentName: nullable(m.AttachmentName), Attachment: m.Attachment, Status: string(st),
		CreatedAt: now.UTC()}
	if end := mail.EndOf(ctx); end != nil && st == mail.Held {
		return s.putMailEnding(ctx, row, end, now)
	}
	err := translate(s.db.WithContext(ctx).Create(&row).Error)
	if errors.Is(err, fault.ErrDuplicate) {
		var kept mailRow
		if err := s.db.WithContext(ctx).Where("dedupe_key = ?", m.DedupeKey).Take(&kept).Error; err != nil {
			return mail.Record{}, translate(err)
		}
		return kept.record(), nil
	}
	return row.record(), err
}

// putMailEnding keeps a held letter and, in the same transaction, finishes
// the job it is the last effect of (end.Done). A letter kept already under
// its dedupe key is returned as it is; the job is finished with it only
// when that one is held or sent too (otherwise the mailer still has to
// settle it, and the runner finishes the job after).
func (s *Store) putMailEnding(ctx context.Context, row mailRow, end *mail.JobEnd, now time.Time) (mail.Record, error) {
	var rec mail.Record
	finished := false
	err := s.transact(ctx, func(tx *gorm.DB) error {
		finished = false
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		rec = row.record()
		if res.RowsAffected == 0 { // kept already under its dedupe key
			var kept mailRow
			if err := tx.Where("dedupe_key = ?", row.DedupeKey).Take(&kept).Error; err != nil {
				return err
			}
			rec = kept.record()
		}
		if rec.Status != mail.Held && rec.Status != mail.Sent {
			return nil
		}
		finished = true
		return tx.Model(&jobRow{}).Where("id = ? AND done_at IS NULL", end.ID).
			Updates(map[string]any{"done_at": now.UTC(), "lease_until": nil}).Error
	})
	if err != nil {
		return mail.Record{}, translate(err)
	}
	end.Done = finished
	return rec, nil
}

// TakeMail leases a message that is not sent yet to the caller until
// now+lease and counts an attempt. It returns the message as it stands and
// whether the caller took it: a message sent, held, or being sent by
// another worker is not taken.
func (s *Store) TakeMail(ctx context.Context, id string, now time.Time, lease time.Duration) (mail.Record, bool, error) {
	db := s.db.WithContext(ctx)
	res := db.Model(&mailRow{}).
		Where("id = ? AND status IN ? AND (lease_until IS NULL OR lease_until <= ?)", id,
			[]string{string(mail.Pending), string(mail.Failed)}, now.UTC()).
		Updates(map[string]any{"status": string(mail.Pending), "lease_until": now.Add(lease).UTC(),
			"attempts": gorm.Expr("attempts + 1")})
	if res.Error != nil {
		return mail.Record{}, false, translate(res.Error)
	}
	var r mailRow
	if err := db.Omit("attachment").Where("id = ?", id).Take(&r).Error; err != nil {
		return mail.Record{}, false, translate(err)
	}
	return r.record(), res.RowsAffected == 1, nil
}

// SetMailStatus records the outcome of a send and lets go of the lease.
func (s *Store) SetMailStatus(ctx context.Context, id string, st mail.Status, errText string, sentAt *time.Time) error {
	return translate(s.db.WithContext(ctx).Model(&mailRow{}).Where("id = ?", id).
		Updates(map[string]any{"status": string(st), "error": nullable(errText), "sent_at": utc(sentAt),
			"lease_until": nil}).Error)
}

// ListMail returns kept messages, newest first, without their attachments.
func (s *Store) ListMail(ctx context.Context, f mail.Filter) ([]mail.Record, error) {
	q := s.db.WithContext(ctx).Model(&mailRow{}).Omit("attachment")
	if f.To != "" {
		q = q.Where("to_addr = ?", f.To)
	}
	if f.RMANumber != "" {
		q = q.Where("rma_number = ?", f.RMANumber)
	}
	if f.ToPart != "" {
		q = q.Where("LOWER(to_addr) LIKE ? ESCAPE '!'", "%"+likeEscape(strings.ToLower(f.ToPart))+"%")
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From.UTC())
	}
	if !f.Until.IsZero() {
		q = q.Where("created_at < ?", f.Until.UTC())
	}
	if f.Before != "" {
		q = q.Where("id < ?", f.Before)
	}
	var rows []mailRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]mail.Record, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

// Staff returns the active users of a role, those of one center when
// centerCode is given.
func (s *Store) Staff(ctx context.Context, role account.Role, centerCode string) ([]account.User, error) {
	q := s.db.WithContext(ctx).Where("role = ? AND status = ?", string(role), string(account.Active))
	if centerCode != "" {
		q = q.Where("center_code = ?", centerCode)
	}
	var rows []userRow
	if err := q.Order("email").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]account.User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// UserByID returns a user.
func (s *Store) UserByID(ctx context.Context, id string) (account.User, error) {
	var r userRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	return r.user(), translate(err)
}

// ListMailFull returns the messages of one kind about a claim with their
// attachments (tests and support look at them whole).
func (s *Store) ListMailFull(ctx context.Context, rma, kind string) ([]mail.Record, error) {
	var rows []mailRow
	if err := s.db.WithContext(ctx).Where("rma_number = ? AND kind = ?", rma, kind).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]mail.Record, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

// likeEscape makes s match itself in a LIKE pattern with ESCAPE '!'.
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}
