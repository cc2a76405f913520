CREATE TABLE dispute_messages (
  id          VARCHAR(26) NOT NULL PRIMARY KEY,
  dispute_id  VARCHAR(26) NOT NULL,
  at          DATETIME(6) NOT NULL,
  actor_id    VARCHAR(26) NOT NULL,
  actor_role  VARCHAR(16) NOT NULL,
  body        TEXT        NOT NULL,
  CONSTRAINT fk_dispute_messages_dispute FOREIGN KEY (dispute_id) REFERENCES disputes (id)
);
