CREATE INDEX idx_attachments_claim ON attachments (claim_id, created_at);
