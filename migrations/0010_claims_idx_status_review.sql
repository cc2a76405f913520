CREATE INDEX idx_claims_status_review ON claims (status, review_due_at);
