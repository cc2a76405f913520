CREATE INDEX idx_orders_seller ON orders (seller_code);
