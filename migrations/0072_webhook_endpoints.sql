CREATE TABLE webhook_endpoints (
  name       VARCHAR(64)  NOT NULL PRIMARY KEY,
  url        TEXT         NOT NULL,
  secret     VARCHAR(200) NOT NULL,
  events     TEXT         NOT NULL,
  updated_at DATETIME(6)  NOT NULL
);
