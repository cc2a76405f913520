CREATE TABLE jobs (
  id          VARCHAR(26) NOT NULL PRIMARY KEY,
  kind        VARCHAR(32) NOT NULL,
  claim_id    VARCHAR(26) NOT NULL,
  event_id    VARCHAR(26) NULL,
  run_at      DATETIME(6) NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  enqueued_at DATETIME(6) NULL,
  done_at     DATETIME(6) NULL,
  attempts    INT         NOT NULL DEFAULT 0,
  CONSTRAINT fk_jobs_claim FOREIGN KEY (claim_id) REFERENCES claims (id)
);
