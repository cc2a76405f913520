CREATE INDEX idx_jobs_dead ON jobs (dead_at, id);
