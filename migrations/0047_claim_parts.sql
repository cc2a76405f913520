CREATE TABLE claim_parts (
  claim_id    VARCHAR(26)  NOT NULL,
  part_number VARCHAR(48)  NOT NULL,
  name        VARCHAR(120) NOT NULL,
  quantity    INT          NOT NULL,
  center_code VARCHAR(32)  NOT NULL,
  used_at     DATETIME(6)  NOT NULL,
  PRIMARY KEY (claim_id, part_number),
  CONSTRAINT fk_claim_parts_claim FOREIGN KEY (claim_id) REFERENCES claims (id)
);
