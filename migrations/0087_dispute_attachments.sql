CREATE TABLE dispute_attachments (
  id           VARCHAR(26)  NOT NULL PRIMARY KEY,
  dispute_id   VARCHAR(26)  NOT NULL,
  name         VARCHAR(200) NOT NULL,
  content_type VARCHAR(64)  NOT NULL,
  size         BIGINT       NOT NULL,
  blob_key     VARCHAR(200) NOT NULL,
  thumb_key    VARCHAR(200) NOT NULL DEFAULT '',
  by_user_id   VARCHAR(26)  NOT NULL,
  by_role      VARCHAR(16)  NOT NULL,
  created_at   DATETIME(6)  NOT NULL,
  CONSTRAINT fk_dispute_attachments_dispute FOREIGN KEY (dispute_id) REFERENCES disputes (id)
);
