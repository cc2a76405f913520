CREATE INDEX idx_jobs_pending ON jobs (done_at, run_at);
