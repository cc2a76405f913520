CREATE INDEX idx_claims_order ON claims (order_number, coverage);
