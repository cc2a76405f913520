CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
