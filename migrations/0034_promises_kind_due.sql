CREATE INDEX idx_promises_kind_due ON promises (kind, due_at);
