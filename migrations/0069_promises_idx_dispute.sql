CREATE INDEX idx_promises_dispute ON promises (dispute_id);
