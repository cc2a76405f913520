CREATE TABLE intake_checks (
  claim_id        VARCHAR(26)  NOT NULL PRIMARY KEY,
  grade           VARCHAR(16)  NOT NULL,
  condition_note  TEXT         NULL,
  accessories     TEXT         NULL,
  activation_lock VARCHAR(3)   NOT NULL,
  by_user_id      VARCHAR(26)  NOT NULL,
  checked_at      DATETIME(6)  NOT NULL,
  CONSTRAINT fk_intake_checks_claim FOREIGN KEY (claim_id) REFERENCES claims (id)
);
