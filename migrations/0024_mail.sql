CREATE TABLE mail (
  id          VARCHAR(26)  NOT NULL PRIMARY KEY,
  dedupe_key  VARCHAR(120) NOT NULL,
  to_addr     VARCHAR(254) NOT NULL,
  subject     VARCHAR(300) NOT NULL,
  language    VARCHAR(5)   NOT NULL,
  rma_number  VARCHAR(16)  NULL,
  kind        VARCHAR(32)  NOT NULL,
  body_text   TEXT         NOT NULL,
  body_html   MEDIUMTEXT   NOT NULL,
  attachment_name VARCHAR(100) NULL,
  attachment  MEDIUMBLOB   NULL,
  status      VARCHAR(16)  NOT NULL,
  error       VARCHAR(500) NULL,
  created_at  DATETIME(6)  NOT NULL,
  sent_at     DATETIME(6)  NULL,
  CONSTRAINT uq_mail_dedupe UNIQUE (dedupe_key)
);
