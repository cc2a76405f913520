CREATE TABLE slips (
  cache_key  CHAR(64)    NOT NULL PRIMARY KEY,
  claim_id   VARCHAR(26) NOT NULL,
  pdf        MEDIUMBLOB  NOT NULL,
  created_at DATETIME(6) NOT NULL,
  CONSTRAINT fk_slips_claim FOREIGN KEY (claim_id) REFERENCES claims (id)
);
