CREATE TABLE orders (
  number           VARCHAR(64)  NOT NULL PRIMARY KEY,
  buyer_email      VARCHAR(254) NOT NULL,
  buyer_name       VARCHAR(200) NOT NULL,
  shipping_address TEXT         NOT NULL,
  completed_at     DATETIME(6)  NULL,
  country          CHAR(2)      NOT NULL,
  product_name     VARCHAR(200) NOT NULL,
  category         VARCHAR(32)  NOT NULL,
  imei             VARCHAR(15)  NULL,
  coverages        VARCHAR(100) NOT NULL,
  updated_at       DATETIME(6)  NOT NULL
);
