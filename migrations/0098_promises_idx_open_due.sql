-- The dashboard's count of open promises past their date seeks the open
-- ones due before now and reads the rest of its test from the index.
CREATE INDEX idx_promises_open_due ON promises (state, due_at, kind, paused_at);
