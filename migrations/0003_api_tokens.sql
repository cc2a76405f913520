CREATE TABLE api_tokens (
  token_hash  CHAR(64)    NOT NULL PRIMARY KEY,
  user_id     VARCHAR(26) NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  expires_at  DATETIME(6) NOT NULL,
  revoked_at  DATETIME(6) NULL,
  CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
);
