package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/imei"
	"rma/internal/order"
	"rma/internal/report"
)

type claimRow struct {
	ID              string `gorm:"primaryKey"`
	RMANumber       string `gorm:"column:rma_number"`
	Status          string
	Coverage        string
	OrderNumber     string
	BuyerID         string
	BuyerEmail      string
	Language        string
	IMEI            string `gorm:"column:imei"`
	SerialNumber    string
	ProductName     string
	OpenIMEI        *string `gorm:"column:open_imei"`
	OpenDevice      *string
	DeviceCheck     string
	DeviceConflict  bool
	Description     string
	IncidentDate    *time.Time
	CenterCode      string
	CreatedAt       time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt       time.Time `gorm:"autoUpdateTime:false"`
	ReviewDueAt     *time.Time
	ReviewPausedAt  *time.Time
	ShipBy          *time.Time
	ReceivedAt      *time.Time
	ReturnDueAt     *time.Time
	RejectReason    string
	Question        *string
	Decision        string
	Findings        *string
	ReplacementIMEI string `gorm:"column:replacement_imei"`
	UnrepairedCode  string
	InboundCarrier  string
	InboundTracking string
	ReturnCarrier   string
	ReturnTracking  string
	ShippedAt       *time.Time
	DeliveredAt     *time.Time
	Version         int
}

func (claimRow) TableName() string { return "claims" }

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func toClaimRow(c claim.Claim) claimRow {
	r := claimRow{ID: c.ID, RMANumber: c.RMANumber, Status: string(c.Status), Coverage: string(c.Coverage),
		OrderNumber: c.OrderNumber, BuyerID: c.BuyerID, BuyerEmail: c.BuyerEmail, Language: c.Language,
		IMEI: c.IMEI, SerialNumber: c.SerialNumber, ProductName: c.ProductName, Description: c.Description,
		DeviceCheck: string(c.DeviceCheck), DeviceConflict: c.DeviceConflict, IncidentDate: utc(c.IncidentDate), CenterCode: c.CenterCode,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), ReviewDueAt: utc(c.ReviewDueAt),
		ReviewPausedAt: utc(c.ReviewPausedAt), ShipBy: utc(c.ShipBy), ReceivedAt: utc(c.ReceivedAt),
		ReturnDueAt: utc(c.ReturnDueAt), RejectReason: c.RejectReason, Question: nullable(c.Question),
		Decision: c.Decision, Findings: nullable(c.Findings), ReplacementIMEI: c.ReplacementIMEI,
		UnrepairedCode: c.UnrepairedCode, InboundCarrier: c.InboundCarrier, InboundTracking: c.InboundTracking,
		ReturnCarrier: c.ReturnCarrier, ReturnTracking: c.ReturnTracking, ShippedAt: utc(c.ShippedAt),
		DeliveredAt: utc(c.DeliveredAt), Version: c.Version}
	// The unique key on open_imei is what makes "one open claim per device"
	// hold under concurrent filings: while the claim is open it holds the
	// claim's OpenKey (the device's IMEI or serial number where the order
	// records it). open_device holds the bare identifier of every open
	// claim, to find a device's conflicting claims.
	if r.DeviceCheck == "" {
		r.DeviceCheck = string(claim.DeviceOnOrder)
	}
	if c.Status.Open() {
		key, id := c.OpenKey(), c.DeviceID()
		r.OpenIMEI, r.OpenDevice = &key, &id
	}
	return r
}

func (r claimRow) claim() claim.Claim {
	return claim.Claim{ID: r.ID, RMANumber: r.RMANumber, Status: claim.Status(r.Status),
		Coverage: coverage.Kind(r.Coverage), OrderNumber: r.OrderNumber, BuyerID: r.BuyerID,
		BuyerEmail: r.BuyerEmail, Language: r.Language, IMEI: r.IMEI, SerialNumber: r.SerialNumber,
		ProductName: r.ProductName, Description: r.Description,
		DeviceCheck: claim.DeviceCheck(r.DeviceCheck), DeviceConflict: r.DeviceConflict,
		IncidentDate: r.IncidentDate, CenterCode: r.CenterCode, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		ReviewDueAt: r.ReviewDueAt, ReviewPausedAt: r.ReviewPausedAt, ShipBy: r.ShipBy, ReceivedAt: r.ReceivedAt,
		ReturnDueAt: r.ReturnDueAt, RejectReason: r.RejectReason, Question: str(r.Question), Decision: r.Decision,
		Findings: str(r.Findings), ReplacementIMEI: r.ReplacementIMEI, UnrepairedCode: r.UnrepairedCode,
		InboundCarrier: r.InboundCarrier, InboundTracking: r.InboundTracking, ReturnCarrier: r.ReturnCarrier,
		ReturnTracking: r.ReturnTracking, ShippedAt: r.ShippedAt, DeliveredAt: r.DeliveredAt, Version: r.Version}
}

type eventRow struct {
	ID         string `gorm:"primaryKey"`
	ClaimID    string
	At         time.Time
	Action     string
	FromStatus string
	ToStatus   string
	ActorID    string
	ActorRole  string
	ActorName  string `gorm:"->"` // read from users
	RMANumber  string `gorm:"->"` // read from claims, for the audit log
	Note       *string
}

func (eventRow) TableName() string { return "claim_events" }

func toEventRow(e claim.Event) eventRow {
	return eventRow{ID: e.ID, ClaimID: e.ClaimID, At: e.At.UTC(), Action: string(e.Action),
		FromStatus: string(e.From), ToStatus: string(e.To), ActorID: e.ActorID, ActorRole: string(e.ActorRole),
		Note: nullable(e.Note)}
}

func (r eventRow) event() claim.Event {
	return claim.Event{ID: r.ID, ClaimID: r.ClaimID, At: r.At, Action: claim.Action(r.Action),
		From: claim.Status(r.FromStatus), To: claim.Status(r.ToStatus), ActorID: r.ActorID,
		ActorRole: account.Role(r.ActorRole), ActorName: r.ActorName, Note: str(r.Note)}
}

// CreateClaim inserts a new claim, its first event and the jobs it
// schedules in one transaction. A device with an open claim is
// fault.ErrDuplicate.
//
// In the same transaction it looks for the device's other open claims (a
// locking read, so that of two filings racing on one device the later sees
// the earlier; on MariaDB the two may deadlock, and the loser runs again)
// and flags them all as a conflict, with an event on each claim newly
// flagged (claim.ConflictEvents). A flagged claim's version moves, so a
// transition that read it before stays stale and reads again.
func (s *Store) CreateClaim(ctx context.Context, c claim.Claim, ev claim.Event, jobs []claim.Job) error {
	var err error
	for attempt := 0; attempt < 10; attempt++ {
		err = translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := createClaim(tx, c, ev, jobs); err != nil {
				return err
			}
			// Last, so that the shared count row is held for the shortest
			// time, and never while waiting for another claim's lock.
			return moveCount(tx, countKey{}, countKey{c.CenterCode, string(c.Status)})
		}))
		if !isDeadlock(err) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

func createClaim(tx *gorm.DB, c claim.Claim, ev claim.Event, jobs []claim.Job) error {
	row, evRow := toClaimRow(c), toEventRow(ev)
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	if err := tx.Create(&evRow).Error; err != nil {
		return err
	}
	if err := savePromises(tx, c.ID, c.Promises); err != nil {
		return err
	}
	if err := insertJobs(tx, jobs, ev.At); err != nil {
		return err
	}
	if err := enqueueEvents(tx, claimNotices(c, ev)); err != nil {
		return err
	}
	if row.OpenDevice == nil {
		return nil
	}
	var others []claimRow
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("open_device = ? AND id <> ?", *row.OpenDevice, c.ID).
		Order("id").Find(&others).Error; err != nil {
		return err
	}
	if len(others) == 0 {
		return nil
	}
	oc := make([]claim.Claim, len(others))
	for i, o := range others {
		oc[i] = o.claim()
	}
	for _, e := range claim.ConflictEvents(c, oc, ev.At) {
		if err := tx.Model(&claimRow{}).Where("id = ?", e.ClaimID).
			Updates(map[string]any{"device_conflict": true, "version": gorm.Expr("version + 1")}).Error; err != nil {
			return err
		}
		er := toEventRow(e)
		if err := tx.Create(&er).Error; err != nil {
			return err
		}
	}
	return nil
}

// UpdateClaim writes a transition: the claim, guarded by the version it was
// read at, its promises, its event and the jobs it schedules (the outbox),
// in one transaction. fault.ErrStale means another writer got there first and
// nothing was written.
func (s *Store) UpdateClaim(ctx context.Context, c claim.Claim, prevVersion int, ev claim.Event, jobs []claim.Job) error {
	var err error
	for attempt := 0; attempt < 10; attempt++ {
		err = translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return updateClaim(tx, c, prevVersion, ev, jobs)
		}))
		if !isDeadlock(err) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

func updateClaim(tx *gorm.DB, c claim.Claim, prevVersion int, ev claim.Event, jobs []claim.Job) error {
	row, evRow := toClaimRow(c), toEventRow(ev)
	// The center and status the claim had at prevVersion: what the counts
	// move it from. A claim at that version has no other, and the guarded
	// update below writes only a claim still at it.
	var was []claimRow
	if err := tx.Select("center_code, status").Where("id = ? AND version = ?", c.ID, prevVersion).
		Limit(1).Find(&was).Error; err != nil {
		return err
	}
	if len(was) == 0 {
		return fault.ErrStale
	}
	res := tx.Model(&claimRow{}).Where("id = ? AND version = ?", c.ID, prevVersion).Select("*").Omit("id").Updates(&row)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return fault.ErrStale
	}
	// A change that is no transition (a breach noticed) has no event.
	if ev.ID != "" {
		if err := tx.Create(&evRow).Error; err != nil {
			return err
		}
		if err := enqueueEvents(tx, claimNotices(c, ev)); err != nil {
			return err
		}
	}
	if err := savePromises(tx, c.ID, c.Promises); err != nil {
		return err
	}
	if err := insertJobs(tx, jobs, c.UpdatedAt); err != nil {
		return err
	}
	// Last, so that the shared count rows are held for the shortest time.
	return moveCount(tx, countKey{was[0].CenterCode, was[0].Status}, countKey{row.CenterCode, row.Status})
}

// ClaimByRMA returns a claim by its RMA number, in one read (without its
// promises).
func (s *Store) ClaimByRMA(ctx context.Context, rma string) (claim.Claim, error) {
	var r claimRow
	err := s.db.WithContext(ctx).Where("rma_number = ?", rma).Take(&r).Error
	return r.claim(), translate(err)
}

// ClaimWithPromises returns a claim with its promises, as a transition
// reads it before changing both.
func (s *Store) ClaimWithPromises(ctx context.Context, rma string) (claim.Claim, error) {
	c, err := s.ClaimByRMA(ctx, rma)
	if err != nil {
		return c, err
	}
	c.Promises, err = claimPromises(s.db.WithContext(ctx), c.ID)
	return c, err
}

// ClaimView reads a claim, its events and its center: three queries, however
// long the timeline (buyers poll this).
func (s *Store) ClaimView(ctx context.Context, rma string) (claim.View, error) {
	return s.claimView(ctx, "rma_number = ?", rma)
}

// ClaimViewByID reads a claim by its id, as ClaimView does.
func (s *Store) ClaimViewByID(ctx context.Context, id string) (claim.View, error) {
	return s.claimView(ctx, "id = ?", id)
}

func (s *Store) claimView(ctx context.Context, where string, key string) (claim.View, error) {
	var r claimRow
	db := s.db.WithContext(ctx)
	if err := db.Where(where, key).Take(&r).Error; err != nil {
		return claim.View{}, translate(err)
	}
	var evs []eventRow
	if err := db.Table("claim_events e").Select("e.*, u.name AS actor_name").
		Joins("LEFT JOIN users u ON u.id = e.actor_id").Where("e.claim_id = ?", r.ID).Order("e.id").
		Find(&evs).Error; err != nil {
		return claim.View{}, translate(err)
	}
	var cr centerRow
	if err := db.Where("code = ?", r.CenterCode).Take(&cr).Error; err != nil {
		return claim.View{}, translate(err)
	}
	v := claim.View{Claim: r.claim(), Center: cr.center(nil), Events: make([]claim.Event, len(evs))}
	var err error
	if v.Claim.Promises, err = claimPromises(db, r.ID); err != nil {
		return claim.View{}, err
	}
	for i, e := range evs {
		v.Events[i] = e.event()
	}
	return v, nil
}

// CountClaims counts an order's claims under a coverage that still count
// against its limit: not rejected, cancelled, expired or abandoned, and not
// returned as "no fault found".
func (s *Store) CountClaims(ctx context.Context, orderNumber string, kind coverage.Kind) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&claimRow{}).
		Where("order_number = ? AND coverage = ? AND status NOT IN ? AND unrepaired_code <> ?", orderNumber, string(kind),
			statusStrings([]claim.Status{claim.Rejected, claim.Cancelled, claim.Expired, claim.Abandoned}),
			claim.UnrepairedNoFault).Count(&n).Error
	return int(n), translate(err)
}

// HasOpenClaim reports whether an open claim holds the key (claim.OpenKey:
// the device's IMEI or serial number where the order records it).
func (s *Store) HasOpenClaim(ctx context.Context, key string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&claimRow{}).Where("open_imei = ?", key).Count(&n).Error
	return n > 0, translate(err)
}

func statusStrings(ss []claim.Status) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// ListClaims returns the claims matching f, in f.Order's order.
//
// A page of several statuses is read one status at a time, each a range of
// an index that leads with the status and ends in the page's order, and the
// pages are merged: no database can read a page of "status IN (...)" in
// another column's order without sorting every match first, and the open
// statuses hold a share of all claims, so that sort grows with them. Each
// status reads at most a page, whatever the number of claims.
func (s *Store) ListClaims(ctx context.Context, f claim.Filter) ([]claim.Claim, error) {
	db := s.db.WithContext(ctx)
	if f.Overdue && len(f.Status) == 0 {
		f.Status = clockedStatuses
	}
	if len(f.Status) < 2 {
		return s.listPage(db, f)
	}
	var all []claim.Claim
	for _, st := range f.Status {
		one := f
		one.Status = []claim.Status{st}
		page, err := s.listPage(db, one)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
	}
	slices.SortFunc(all, func(a, b claim.Claim) int { return compareInList(f.Order, a, b) })
	return all[:min(len(all), f.Limit)], nil
}

func (s *Store) listPage(db *gorm.DB, f claim.Filter) ([]claim.Claim, error) {
	var rows []claimRow
	if err := s.listQuery(db, f).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]claim.Claim, len(rows))
	for i, r := range rows {
		out[i] = r.claim()
	}
	return out, nil
}

// compareInList orders two claims as listQuery's ORDER BY does for order:
// a deadline or the filing time ascending (a missing deadline first, as SQL
// sorts NULL), the id breaking ties; newest first (id descending) otherwise.
func compareInList(order string, a, b claim.Claim) int {
	var ka, kb *time.Time
	switch order {
	case "due":
		ka, kb = deadline(a), deadline(b)
	case "review_due":
		ka, kb = a.ReviewDueAt, b.ReviewDueAt
	case "return_due":
		ka, kb = a.ReturnDueAt, b.ReturnDueAt
	case "created":
		ka, kb = &a.CreatedAt, &b.CreatedAt
	default:
		return strings.Compare(b.ID, a.ID)
	}
	switch {
	case ka == nil && kb != nil:
		return -1
	case ka != nil && kb == nil:
		return 1
	case ka != nil && !ka.Equal(*kb):
		return ka.Compare(*kb)
	}
	return strings.Compare(a.ID, b.ID)
}

// orderColumn is the column a deadline order sorts on.
var orderColumn = map[string]string{"review_due": "review_due_at", "return_due": "return_due_at", "created": "created_at"}

// clockedStatuses are the statuses in which a clock runs against the
// claim, the ones an overdue list reads.
var clockedStatuses = slices.Concat(claim.ReviewStatuses, []claim.Status{claim.Approved}, claim.AtCenterStatuses)

// deadlineColumn is the clock a claim in st runs against: the review
// deadline, the ship-by date or the return date ("" when none runs).
func deadlineColumn(st claim.Status) string {
	switch {
	case st.AwaitingReview():
		return "review_due_at"
	case st == claim.Approved:
		return "ship_by"
	case slices.Contains(claim.AtCenterStatuses, st):
		return "return_due_at"
	}
	return ""
}

// deadline is the claim's running clock's due time, as deadlineColumn.
func deadline(c claim.Claim) *time.Time {
	switch deadlineColumn(c.Status) {
	case "review_due_at":
		return c.ReviewDueAt
	case "ship_by":
		return c.ShipBy
	case "return_due_at":
		return c.ReturnDueAt
	}
	return nil
}

func (s *Store) listQuery(db *gorm.DB, f claim.Filter) *gorm.DB {
	q := db.Model(&claimRow{})
	if f.BuyerID != "" {
		q = q.Where("buyer_id = ?", f.BuyerID)
	}
	if f.Center != "" {
		q = q.Where("center_code = ?", f.Center)
	}
	switch len(f.Status) {
	case 0:
	case 1:
		q = q.Where("status = ?", string(f.Status[0]))
	default:
		q = q.Where("status IN ?", statusStrings(f.Status))
	}
	if f.Coverage != "" {
		q = q.Where("coverage = ?", string(f.Coverage))
	}
	if f.Overdue && len(f.Status) == 1 {
		// One status runs one clock: a range of its deadline index.
		if col := deadlineColumn(f.Status[0]); col != "" {
			q = q.Where(col+" < ?", f.Now.UTC())
		} else {
			q = q.Where("1 = 0")
		}
	} else if f.Overdue {
		now := f.Now.UTC()
		q = q.Where(s.db.
			Where("status IN ? AND review_due_at < ?", statusStrings(claim.ReviewStatuses), now).
			Or("status = ? AND ship_by < ?", string(claim.Approved), now).
			Or("status IN ? AND return_due_at < ?", statusStrings(claim.AtCenterStatuses), now))
	}
	if f.Country != "" {
		q = q.Where("order_number IN (?)", db.Session(&gorm.Session{NewDB: true}).Model(&orderRow{}).
			Select("number").Where("country = ?", f.Country))
	}
	if f.Query != "" {
		rma, _ := claim.NormalizeRMANumber(f.Query)
		q = q.Where("rma_number = ? OR imei = ? OR buyer_email = ? OR order_number = ?", rma, f.Query,
			strings.ToLower(f.Query), f.Query)
	}
	switch {
	case f.Device == "":
	case imei.Valid(f.Device): // a valid IMEI names a phone
		q = q.Where("imei = ?", f.Device)
	default:
		q = q.Where("serial_number = ?", f.Device)
	}
	col, ok := orderColumn[f.Order]
	if f.Order == "due" && len(f.Status) == 1 {
		col, ok = deadlineColumn(f.Status[0]), deadlineColumn(f.Status[0]) != ""
	}
	if !ok {
		if f.After != "" {
			q = q.Where("id < ?", f.After)
		}
		return q.Order("id DESC").Limit(f.Limit)
	}
	return afterKey(q, col, f.AfterAt, f.After).Order(col + ", id").Limit(f.Limit)
}

// afterKey keeps the claims after the cursor (at, id) in the order (col,
// id), NULLs of col first: the next page of a deadline order. The bare
// range on col is what the index seeks to; the rest only drops the ties
// already shown.
func afterKey(q *gorm.DB, col string, at *time.Time, id string) *gorm.DB {
	switch {
	case id == "":
		return q
	case at == nil: // the last claim shown had no deadline
		return q.Where("("+col+" IS NULL AND id > ?) OR "+col+" IS NOT NULL", id)
	}
	return q.Where(col+" >= ? AND ("+col+" > ? OR id > ?)", at.UTC(), at.UTC(), id)
}

// RecentReceipts returns the last devices a user took in.
func (s *Store) RecentReceipts(ctx context.Context, userID string, limit int) ([]claim.Receipt, error) {
	var out []claim.Receipt
	err := s.db.WithContext(ctx).Table("claim_events e").Select("c.rma_number AS rma_number, e.at AS at").
		Joins("JOIN claims c ON c.id = e.claim_id").Where("e.actor_id = ? AND e.action = ?", userID, string(claim.Receive)).
		Order("e.id DESC").Limit(limit).Scan(&out).Error
	return out, translate(err)
}

// AuditEvents lists claim events with the claim's RMA number and the
// actor's name, newest first.
func (s *Store) AuditEvents(ctx context.Context, f report.AuditFilter) ([]report.AuditEntry, error) {
	q := s.db.WithContext(ctx).Table("claim_events e").
		Select("e.*, u.name AS actor_name, c.rma_number AS rma_number").
		Joins("JOIN claims c ON c.id = e.claim_id").Joins("LEFT JOIN users u ON u.id = e.actor_id")
	if f.RMANumber != "" {
		q = q.Where("c.rma_number = ?", f.RMANumber)
	}
	if f.ActorID != "" {
		q = q.Where("e.actor_id = ?", f.ActorID)
	}
	if !f.From.IsZero() {
		q = q.Where("e.at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("e.at < ?", f.To.UTC())
	}
	if f.Before != "" {
		q = q.Where("e.id < ?", f.Before)
	}
	var rows []eventRow
	if err := q.Order("e.id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]report.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = report.AuditEntry{Event: r.event(), RMANumber: r.RMANumber}
	}
	return out, nil
}

// slipSourceRow is a claim with what its slip prints of its order and center.
type slipSourceRow struct {
	Claim            claimRow `gorm:"embedded"`
	ONumber          *string  `gorm:"column:o_number"`
	OBuyerName       *string  `gorm:"column:o_buyer_name"`
	OShippingAddress *string  `gorm:"column:o_shipping_address"`
	OProductName     *string  `gorm:"column:o_product_name"`
	CeCode           *string  `gorm:"column:ce_code"`
	CeName           *string  `gorm:"column:ce_name"`
	CeAddress        *string  `gorm:"column:ce_address"`
	CeTimeZone       *string  `gorm:"column:ce_time_zone"`
}

// SlipSource reads a claim with what its slip prints of its order (the
// buyer's name and address, the product, the order's number) and of its
// center (name, address, time zone) in one query: a repeat download and
// its revalidation read nothing else to name the kept copy. A claim that
// is not there is fault.ErrNoRecord; an order or a center that is gone is
// another error, as reading them one by one would be.
func (s *Store) SlipSource(ctx context.Context, rma string) (claim.Claim, order.Order, center.Center, error) {
	var r slipSourceRow
	err := s.db.WithContext(ctx).Table("claims c").
		Select(`c.*, o.number AS o_number, o.buyer_name AS o_buyer_name, o.shipping_address AS o_shipping_address,
			o.product_name AS o_product_name, ce.code AS ce_code, ce.name AS ce_name, ce.address AS ce_address,
			ce.time_zone AS ce_time_zone`).
		Joins("LEFT JOIN orders o ON o.number = c.order_number").
		Joins("LEFT JOIN centers ce ON ce.code = c.center_code").
		Where("c.rma_number = ?", rma).Take(&r).Error
	if err != nil {
		return claim.Claim{}, order.Order{}, center.Center{}, translate(err)
	}
	c := r.Claim.claim()
	if r.ONumber == nil {
		return c, order.Order{}, center.Center{}, fmt.Errorf("order %s of claim %s is missing", c.OrderNumber, rma)
	}
	if r.CeCode == nil {
		return c, order.Order{}, center.Center{}, fmt.Errorf("center %s of claim %s is missing", c.CenterCode, rma)
	}
	o := order.Order{Number: *r.ONumber, BuyerName: str(r.OBuyerName), ShippingAddress: lines(str(r.OShippingAddress)),
		ProductName: str(r.OProductName)}
	ctr := center.Center{Code: *r.CeCode, Name: str(r.CeName), Address: lines(str(r.CeAddress)),
		TimeZone: str(r.CeTimeZone)}
	return c, o, ctr, nil
}
