CREATE INDEX idx_claims_status_return ON claims (status, return_due_at);
