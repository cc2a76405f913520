CREATE INDEX idx_account_tokens_expires ON account_tokens (expires_at);
