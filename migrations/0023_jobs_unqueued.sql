CREATE INDEX idx_jobs_unqueued ON jobs (enqueued_at, id);
