-- Links e-mailed to prove an address (sign-up) or to set a new password
-- (reset): stored hashed, expiring, used once.
CREATE TABLE account_tokens (
  token_hash    CHAR(64)     NOT NULL PRIMARY KEY,
  purpose       VARCHAR(16)  NOT NULL,
  email         VARCHAR(254) NOT NULL,
  name          VARCHAR(200) NOT NULL,
  language      VARCHAR(5)   NOT NULL,
  password_hash VARCHAR(100) NULL,
  created_at    DATETIME(6)  NOT NULL,
  expires_at    DATETIME(6)  NOT NULL,
  used_at       DATETIME(6)  NULL
);
