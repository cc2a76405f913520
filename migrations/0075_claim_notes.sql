CREATE TABLE claim_notes (
  id           VARCHAR(26)  NOT NULL PRIMARY KEY,
  claim_id     VARCHAR(26)  NOT NULL,
  author_id    VARCHAR(26)  NOT NULL,
  author_role  VARCHAR(16)  NOT NULL,
  body         TEXT         NOT NULL,
  created_at   DATETIME(6)  NOT NULL,
  CONSTRAINT fk_claim_notes_claim FOREIGN KEY (claim_id) REFERENCES claims (id)
);
