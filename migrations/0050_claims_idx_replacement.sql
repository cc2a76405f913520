CREATE INDEX idx_claims_replacement_imei ON claims (replacement_imei);
