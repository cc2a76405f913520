CREATE INDEX idx_dispute_attachments_dispute ON dispute_attachments (dispute_id, created_at);
