package store

import (
	"context"
	"time"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/desk"
)

type noteRow struct {
	ID         string `gorm:"primaryKey"`
	ClaimID    string
	AuthorID   string
	AuthorRole string
	AuthorName string `gorm:"->;-:migration"`
	Body       string
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
}

func (noteRow) TableName() string { return "claim_notes" }

// AddNote writes an internal note.
func (s *Store) AddNote(ctx context.Context, n desk.Note) error {
	row := noteRow{ID: n.ID, ClaimID: n.ClaimID, AuthorID: n.AuthorID, AuthorRole: string(n.AuthorRole), Body: n.Body,
		CreatedAt: n.CreatedAt.UTC()}
	return translate(s.db.WithContext(ctx).Omit("AuthorName").Create(&row).Error)
}

// Notes returns a claim's internal notes with their authors' names, oldest
// first.
func (s *Store) Notes(ctx context.Context, claimID string) ([]desk.Note, error) {
	var rows []noteRow
	err := s.db.WithContext(ctx).Table("claim_notes n").Select("n.*, u.name AS author_name").
		Joins("LEFT JOIN users u ON u.id = n.author_id").Where("n.claim_id = ?", claimID).
		Order("n.created_at, n.id").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]desk.Note, len(rows))
	for i, r := range rows {
		out[i] = desk.Note{ID: r.ID, ClaimID: r.ClaimID, AuthorID: r.AuthorID, AuthorName: r.AuthorName,
			AuthorRole: account.Role(r.AuthorRole), Body: r.Body, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

type replyRow struct {
	ID        string `gorm:"primaryKey"`
	Language  string
	Title     string
	Body      string
	CreatedBy string
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
}

func (replyRow) TableName() string { return "saved_replies" }

func (r replyRow) reply() desk.Reply {
	return desk.Reply{ID: r.ID, Language: r.Language, Title: r.Title, Body: r.Body, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC()}
}

// AddReply saves a reply.
func (s *Store) AddReply(ctx context.Context, r desk.Reply) error {
	row := replyRow{ID: r.ID, Language: r.Language, Title: r.Title, Body: r.Body, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC()}
	return translate(s.db.WithContext(ctx).Create(&row).Error)
}

// Replies returns the saved replies of a language ("" for all), by
// language and title.
func (s *Store) Replies(ctx context.Context, lang string) ([]desk.Reply, error) {
	q := s.db.WithContext(ctx).Model(&replyRow{})
	if lang != "" {
		q = q.Where("language = ?", lang)
	}
	var rows []replyRow
	if err := q.Order("language, title, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]desk.Reply, len(rows))
	for i, r := range rows {
		out[i] = r.reply()
	}
	return out, nil
}

// Reply returns one saved reply.
func (s *Store) Reply(ctx context.Context, id string) (desk.Reply, error) {
	var r replyRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	return r.reply(), translate(err)
}

// DeleteReply removes a saved reply.
func (s *Store) DeleteReply(ctx context.Context, id string) error {
	return translate(s.db.WithContext(ctx).Where("id = ?", id).Delete(&replyRow{}).Error)
}

// QueueFacts reads, in three queries whatever the number of claims, the
// order's country, the number of files and whether the device had another
// claim within 12 months, for each claim.
func (s *Store) QueueFacts(ctx context.Context, claims []claim.Claim) (map[string]desk.Facts, error) {
	db := s.db.WithContext(ctx)
	out := make(map[string]desk.Facts, len(claims))
	ids, orders, devices := make([]string, 0, len(claims)), []string{}, []string{}
	for _, c := range claims {
		ids = append(ids, c.ID)
		orders = append(orders, c.OrderNumber)
		if d := c.DeviceID(); d != "" {
			devices = append(devices, d)
		}
	}
	var countries []struct{ Number, Country string }
	if err := db.Model(&orderRow{}).Select("number, country").Where("number IN ?", orders).
		Scan(&countries).Error; err != nil {
		return nil, translate(err)
	}
	byOrder := map[string]string{}
	for _, o := range countries {
		byOrder[o.Number] = o.Country
	}
	var counts []struct {
		ClaimID string
		N       int
	}
	if err := db.Model(&attachmentRow{}).Select("claim_id, COUNT(*) AS n").Where("claim_id IN ?", ids).
		Group("claim_id").Scan(&counts).Error; err != nil {
		return nil, translate(err)
	}
	files := map[string]int{}
	for _, c := range counts {
		files[c.ClaimID] = c.N
	}
	var others []struct {
		ID, IMEI, SerialNumber string
		CreatedAt              time.Time
	}
	if len(devices) > 0 {
		if err := db.Model(&claimRow{}).Select("id, imei, serial_number, created_at").
			Where("imei IN ? OR serial_number IN ?", devices, devices).Scan(&others).Error; err != nil {
			return nil, translate(err)
		}
	}
	for _, c := range claims {
		f := desk.Facts{Country: byOrder[c.OrderNumber], Attachments: files[c.ID]}
		for _, o := range others {
			same := c.IMEI != "" && o.IMEI == c.IMEI || c.IMEI == "" && c.SerialNumber != "" && o.SerialNumber == c.SerialNumber
			if same && o.ID != c.ID && c.CreatedAt.Sub(o.CreatedAt).Abs() < 365*24*time.Hour {
				f.Repeat = true
			}
		}
		out[c.ID] = f
	}
	return out, nil
}
