CREATE TABLE part_stock (
  center_code VARCHAR(32)  NOT NULL,
  part_number VARCHAR(48)  NOT NULL,
  name        VARCHAR(120) NOT NULL,
  quantity    INT          NOT NULL,
  low_at      INT          NOT NULL,
  updated_at  DATETIME(6)  NOT NULL,
  PRIMARY KEY (center_code, part_number),
  CONSTRAINT fk_part_stock_center FOREIGN KEY (center_code) REFERENCES centers (code),
  CONSTRAINT ck_part_stock_quantity CHECK (quantity >= 0)
);
