CREATE INDEX idx_dispute_events_dispute ON dispute_events (dispute_id, at);
