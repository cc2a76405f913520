CREATE INDEX idx_orders_buyer_email ON orders (buyer_email);
