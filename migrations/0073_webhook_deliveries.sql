CREATE TABLE webhook_deliveries (
  id              VARCHAR(26) NOT NULL PRIMARY KEY,
  endpoint        VARCHAR(64) NOT NULL,
  event_id        VARCHAR(26) NOT NULL,
  event_type      VARCHAR(40) NOT NULL,
  body            TEXT        NOT NULL,
  status          VARCHAR(12) NOT NULL,
  attempts        INT         NOT NULL,
  next_attempt_at DATETIME(6) NOT NULL,
  last_status     INT         NOT NULL,
  last_error      TEXT        NULL,
  created_at      DATETIME(6) NOT NULL,
  delivered_at    DATETIME(6) NULL,
  CONSTRAINT uq_webhook_deliveries_event UNIQUE (endpoint, event_id)
);
