CREATE TABLE users (
  id            VARCHAR(26)  NOT NULL PRIMARY KEY,
  email         VARCHAR(254) NOT NULL,
  name          VARCHAR(200) NOT NULL,
  password_hash VARCHAR(100) NOT NULL,
  role          VARCHAR(16)  NOT NULL,
  language      VARCHAR(5)   NOT NULL,
  center_code   VARCHAR(32)  NULL,
  status        VARCHAR(16)  NOT NULL,
  created_at    DATETIME(6)  NOT NULL,
  CONSTRAINT uq_users_email UNIQUE (email)
);
