-- The promise tallies (dashboard, compliance report, metrics) select a range of
-- due dates and read only these columns: one covering index serves them
-- without reading the table, whatever the kind.
CREATE INDEX idx_promises_due ON promises (due_at, kind, state, paused_at, claim_id, dispute_id);
