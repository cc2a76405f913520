CREATE INDEX idx_refunds_order ON refunds (order_number, created_at);
