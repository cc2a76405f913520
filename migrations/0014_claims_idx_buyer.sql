CREATE INDEX idx_claims_buyer ON claims (buyer_id, id);
