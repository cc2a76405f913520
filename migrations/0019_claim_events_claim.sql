CREATE INDEX idx_claim_events_claim ON claim_events (claim_id, id);
