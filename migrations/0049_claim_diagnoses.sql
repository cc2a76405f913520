CREATE TABLE claim_diagnoses (
  claim_id    VARCHAR(26)  NOT NULL PRIMARY KEY,
  codes       VARCHAR(400) NOT NULL,
  recorded_at DATETIME(6)  NOT NULL,
  CONSTRAINT fk_claim_diagnoses_claim FOREIGN KEY (claim_id) REFERENCES claims (id)
);
