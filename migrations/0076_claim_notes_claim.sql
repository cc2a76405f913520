CREATE INDEX idx_claim_notes_claim ON claim_notes (claim_id, created_at);
