-- A list of claims newest first reads each status's range of this index
-- backwards, a page at a time, instead of sorting every claim in the status.
CREATE INDEX idx_claims_status_id ON claims (status, id);
