ALTER TABLE orders ADD COLUMN promised_delivery_at DATETIME(6) NULL;
