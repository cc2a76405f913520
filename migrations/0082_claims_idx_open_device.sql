CREATE INDEX idx_claims_open_device ON claims (open_device);
