CREATE TABLE refunds (
  id           VARCHAR(26)  NOT NULL PRIMARY KEY,
  order_number VARCHAR(64)  NOT NULL,
  dispute_id   VARCHAR(26)  NULL,
  amount_minor BIGINT       NOT NULL,
  currency     CHAR(3)      NOT NULL,
  reason       VARCHAR(32)  NOT NULL,
  source       VARCHAR(32)  NOT NULL,
  source_key   VARCHAR(128) NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  created_at   DATETIME(6)  NOT NULL,
  updated_at   DATETIME(6)  NOT NULL,
  CONSTRAINT uq_refunds_source_key UNIQUE (source_key),
  CONSTRAINT fk_refunds_order FOREIGN KEY (order_number) REFERENCES orders (number)
);
