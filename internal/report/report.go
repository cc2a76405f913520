// Package report gathers the figures of the staff pages and the admin API:
// open claims per status and center, how the promises were kept, the
// technicians' recent receipts and the state of the job queue. It reads
// only; the pages lay the figures out.
package report

import (
	"context"
	"fmt"
	"time"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/promise"
)

// Store is what the reports read from storage.
type Store interface {
	OpenCounts(ctx context.Context) ([]claim.StatusCount, error)
	PromiseTally(ctx context.Context, f promise.Filter, now time.Time) ([]promise.Tally, error)
	CountPastDue(ctx context.Context, kinds []promise.Kind, now time.Time, most int) (int, error)
	RecentReceipts(ctx context.Context, userID string, limit int) ([]claim.Receipt, error)
	PendingCount(ctx context.Context) (int64, error)
	AuditEvents(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

// QueueCount is one queue's counts by task state.
type QueueCount struct {
	Queue                                             string
	Size, Pending, Active, Scheduled, Retry, Archived int
	Completed, ProcessedToday, FailedToday            int
	Latency                                           time.Duration
	Paused                                            bool
}

// Queues reads the job queue's counts; the queue's own package provides it,
// so that readers of reports need not know which queue runs the jobs.
type Queues interface {
	Counts(ctx context.Context) ([]QueueCount, error)
}

// Service computes the reports.
type Service struct {
	store  Store
	queues Queues
	claims *claim.Service
}

// NewService returns the report service; queues may be nil where no queue
// runs (then the queue summary lists none).
func NewService(store Store, queues Queues, claims *claim.Service) *Service {
	return &Service{store: store, queues: queues, claims: claims}
}

// PastDueMost is the most open promises past their date the dashboard
// counts exactly.
const PastDueMost = 1000

// Dashboard is the admins' overview.
type Dashboard struct {
	// Open counts the claims not ended, by center and status.
	Open []claim.StatusCount
	// Promises tallies, per kind, the promises due in the period, from the
	// ledger: an open promise past its due time counts against compliance.
	Promises []promise.Tally
	// PastDue counts, from the ledger, the claims' promises open past
	// their due time now (a paused one is not), whenever they fell due; at
	// most PastDueMost, PastDueMore saying there are more.
	PastDue     int
	PastDueMore bool
	// Overdue are the claims past a deadline now, the longest overdue first
	// (the first 200).
	Overdue []claim.Claim
	Now     time.Time
}

// Dashboard returns the overview for the period from since until now, as
// actor (an admin) may see it.
func (s *Service) Dashboard(ctx context.Context, actor account.Actor, since time.Time) (Dashboard, error) {
	d := Dashboard{Now: s.claims.Now()}
	var err error
	if d.Open, err = s.store.OpenCounts(ctx); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	if d.Promises, err = s.store.PromiseTally(ctx, promise.Filter{From: since, To: d.Now}, d.Now); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	// Counted up to a bound, so that the figure costs the same however
	// many promises the ledger holds; past it the page says "1000+".
	n, err := s.store.CountPastDue(ctx, []promise.Kind{promise.Answer, promise.Return, promise.ShipBy}, d.Now, PastDueMost)
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	d.PastDue, d.PastDueMore = min(n, PastDueMost), n > PastDueMost
	if d.Overdue, err = s.claims.List(ctx, actor, claim.Filter{Overdue: true, Order: "due", Limit: 200}); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	return d, nil
}

// Promises tallies the promises f selects, per kind, as they stand now.
func (s *Service) Promises(ctx context.Context, f promise.Filter) ([]promise.Tally, error) {
	if f.To.IsZero() {
		f.To = s.claims.Now()
	}
	t, err := s.store.PromiseTally(ctx, f, s.claims.Now())
	if err != nil {
		return nil, fmt.Errorf("promise report: %w", err)
	}
	return t, nil
}

// RecentReceipts returns the last devices a technician took in.
func (s *Service) RecentReceipts(ctx context.Context, userID string, limit int) ([]claim.Receipt, error) {
	r, err := s.store.RecentReceipts(ctx, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("recent receipts: %w", err)
	}
	return r, nil
}

// QueueSummary is the job queue as admins see it.
type QueueSummary struct {
	// Unfinished counts the outbox jobs not done yet.
	Unfinished int64
	Queues     []QueueCount
}

// Queues returns the job queue's summary.
func (s *Service) Queues(ctx context.Context) (QueueSummary, error) {
	var q QueueSummary
	var err error
	if q.Unfinished, err = s.store.PendingCount(ctx); err != nil {
		return QueueSummary{}, fmt.Errorf("queue summary: %w", err)
	}
	if s.queues != nil {
		if q.Queues, err = s.queues.Counts(ctx); err != nil {
			return QueueSummary{}, fmt.Errorf("queue summary: %w", err)
		}
	}
	return q, nil
}

// AuditFilter selects the events of the audit log: of one claim, by one
// actor (user id), in [From, To) (each optional), newest first, before the
// event id Before.
type AuditFilter struct {
	RMANumber, ActorID string
	From, To           time.Time
	Before             string
	Limit              int
}

// AuditEntry is one step of a claim with who took it.
type AuditEntry struct {
	claim.Event
	RMANumber string
}

// Audit lists the steps taken on claims, with who took them.
func (s *Service) Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	f.Limit = max(1, min(f.Limit, 200))
	out, err := s.store.AuditEvents(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return out, nil
}
