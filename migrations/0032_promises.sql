CREATE TABLE promises (
  id         VARCHAR(26) NOT NULL PRIMARY KEY,
  claim_id   VARCHAR(26) NULL,
  kind       VARCHAR(24) NOT NULL,
  made_at    DATETIME(6) NOT NULL,
  due_at     DATETIME(6) NOT NULL,
  state      VARCHAR(8)  NOT NULL,
  paused_at  DATETIME(6) NULL,
  settled_at DATETIME(6) NULL,
  broken_at  DATETIME(6) NULL,
  pauses     TEXT        NULL,
  CONSTRAINT fk_promises_claim FOREIGN KEY (claim_id) REFERENCES claims (id)
);
