CREATE INDEX idx_claims_status_ship_by ON claims (status, ship_by);
