-- (center_code, status, return_due_at, id) serves every read this index
-- served; with both, MariaDB intersected this one with (coverage, status)
-- for a status, center and coverage, and sorted the matches, instead of
-- reading (status, center_code, coverage, id) in its order.
DROP INDEX idx_claims_center_status;
