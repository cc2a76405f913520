CREATE INDEX idx_disputes_seller_status ON disputes (seller_code, status, seller_due_at);
