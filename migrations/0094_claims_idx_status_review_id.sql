-- The review queue reads each status's range in deadline order, the id
-- breaking ties as the page's cursor does (it replaces (status,
-- review_due_at), which SQLite could not use for the ties).
CREATE INDEX idx_claims_status_review_id ON claims (status, review_due_at, id);
