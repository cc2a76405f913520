CREATE TABLE dispute_events (
  id          VARCHAR(26) NOT NULL PRIMARY KEY,
  dispute_id  VARCHAR(26) NOT NULL,
  at          DATETIME(6) NOT NULL,
  action      VARCHAR(32) NOT NULL,
  from_status VARCHAR(16) NOT NULL,
  to_status   VARCHAR(16) NOT NULL,
  actor_id    VARCHAR(26) NOT NULL,
  actor_role  VARCHAR(16) NOT NULL,
  note        TEXT        NULL,
  CONSTRAINT fk_dispute_events_dispute FOREIGN KEY (dispute_id) REFERENCES disputes (id)
);
