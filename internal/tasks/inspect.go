package tasks

import (
	"context"

	"github.com/hibiken/asynq"

	"rma/internal/report"
)

// QueueCounts reads asynq's counts per queue for the reports.
type QueueCounts struct{ inspector *asynq.Inspector }

// NewQueueCounts returns the reader of the queues inspector sees.
func NewQueueCounts(inspector *asynq.Inspector) *QueueCounts {
	return &QueueCounts{inspector: inspector}
}

// Counts returns every queue's counts by task state.
func (q *QueueCounts) Counts(_ context.Context) ([]report.QueueCount, error) {
	names, err := q.inspector.Queues()
	if err != nil {
		return nil, err
	}
	out := make([]report.QueueCount, 0, len(names))
	for _, name := range names {
		info, err := q.inspector.GetQueueInfo(name)
		if err != nil {
			return nil, err
		}
		out = append(out, report.QueueCount{Queue: name, Size: info.Size, Pending: info.Pending, Active: info.Active,
			Scheduled: info.Scheduled, Retry: info.Retry, Archived: info.Archived, Completed: info.Completed,
			ProcessedToday: info.Processed, FailedToday: info.Failed, Latency: info.Latency, Paused: info.Paused})
	}
	return out, nil
}
