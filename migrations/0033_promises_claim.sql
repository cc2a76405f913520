CREATE INDEX idx_promises_claim ON promises (claim_id);
