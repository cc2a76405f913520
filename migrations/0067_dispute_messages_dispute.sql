CREATE INDEX idx_dispute_messages_dispute ON dispute_messages (dispute_id, at);
