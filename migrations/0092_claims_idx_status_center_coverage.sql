-- The rep's filtered list (a status, a center and a coverage, newest first)
-- reads one range of this index in its order.
CREATE INDEX idx_claims_status_center_coverage ON claims (status, center_code, coverage, id);
