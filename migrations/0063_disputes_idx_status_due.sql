CREATE INDEX idx_disputes_status_due ON disputes (status, seller_due_at);
