CREATE INDEX idx_claims_imei ON claims (imei);
