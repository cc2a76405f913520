CREATE TABLE claim_events (
  id          VARCHAR(26) NOT NULL PRIMARY KEY,
  claim_id    VARCHAR(26) NOT NULL,
  at          DATETIME(6) NOT NULL,
  action      VARCHAR(32) NOT NULL,
  from_status VARCHAR(24) NOT NULL,
  to_status   VARCHAR(24) NOT NULL,
  actor_id    VARCHAR(26) NOT NULL,
  actor_role  VARCHAR(16) NOT NULL,
  note        TEXT        NULL,
  CONSTRAINT fk_claim_events_claim FOREIGN KEY (claim_id) REFERENCES claims (id)
);
