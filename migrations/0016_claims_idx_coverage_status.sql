CREATE INDEX idx_claims_coverage_status ON claims (coverage, status);
