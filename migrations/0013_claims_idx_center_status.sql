CREATE INDEX idx_claims_center_status ON claims (center_code, status);
