CREATE INDEX idx_claims_serial ON claims (serial_number);
