-- A center's work list reads each status's range in return-date order, the
-- id breaking ties as the page's cursor does.
CREATE INDEX idx_claims_center_status_return ON claims (center_code, status, return_due_at, id);
