package worker

import (
	"context"

	"rma/internal/dispute"
)

// DisputeSweeper is the part of Basic protection the periodic sweep runs:
// open disputes whose seller did not answer in time escalate themselves.
// It works from the database (the disputes' seller_due_at), so a lost
// Redis loses no escalation, and each escalation is a version-guarded
// transition, so two workers sweeping at once escalate a dispute once.
//
// Returns the seller left unconfirmed past their days after the carrier's
// delivery are confirmed by the system the same way, and refunded.
//
// Escalated disputes a rep did not decide in time are told to admins, reps
// and the buyer, then noticed (once, version-guarded).
type DisputeSweeper interface {
	EscalateUnanswered(ctx context.Context) (int, error)
	ConfirmOverdueReturns(ctx context.Context) (int, error)
	LateDecisions(ctx context.Context) ([]dispute.View, error)
	NoticeLateDecision(ctx context.Context, number string) (bool, error)
}

// LateSweeper owes the on-time delivery compensation to orders still
// undelivered a grace after their promised date (once each: the refunds
// ledger's key).
type LateSweeper interface {
	CompensateUndelivered(ctx context.Context) (int, error)
}

// WebhookSender delivers the webhook outbox's due deliveries (signed,
// retried with backoff, dead after 24 hours).
type WebhookSender interface {
	DeliverDue(ctx context.Context) (int, error)
}

// Basic is what the sweep runs for Basic protection: unanswered disputes
// escalate, undelivered orders are compensated, due webhooks go out. Each
// may be nil.
type Basic struct {
	Disputes DisputeSweeper
	Late     LateSweeper
	Webhooks WebhookSender
	// Tell writes to buyers owed a late-delivery compensation.
	Tell CompensationTeller
}

// sweepDisputes escalates every dispute whose seller's promise broke; a
// failure is logged and retried by the next sweep.
func (r *Runner) sweepDisputes(ctx context.Context) int {
	if r.disputes == nil {
		return 0
	}
	n, err := r.disputes.EscalateUnanswered(ctx)
	if err != nil {
		r.log.Warn("sweep: escalate unanswered disputes", "err", err)
	}
	if n > 0 {
		r.log.Info("sweep escalated unanswered disputes", "count", n)
	}
	confirmed, err := r.disputes.ConfirmOverdueReturns(ctx)
	if err != nil {
		r.log.Warn("sweep: confirm overdue returns", "err", err)
	}
	if confirmed > 0 {
		r.log.Info("sweep confirmed returns the sellers left unconfirmed", "count", confirmed)
	}
	n += confirmed + r.alertLateDecisions(ctx)
	if r.webhooks != nil {
		sent, err := r.webhooks.DeliverDue(ctx)
		if err != nil {
			r.log.Warn("sweep: webhook deliveries", "err", err)
		}
		if sent > 0 {
			r.log.Info("sweep delivered webhooks", "count", sent)
		}
	}
	if r.late != nil {
		owed, err := r.late.CompensateUndelivered(ctx)
		if err != nil {
			r.log.Warn("sweep: compensate undelivered orders", "err", err)
		}
		if owed > 0 {
			r.log.Info("sweep owed late-delivery compensations", "count", owed)
		}
	}
	r.tellCompensations(ctx)
	return n
}
