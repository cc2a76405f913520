CREATE INDEX idx_disputes_buyer ON disputes (buyer_id);
