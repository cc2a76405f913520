CREATE TABLE saved_replies (
  id          VARCHAR(26)  NOT NULL PRIMARY KEY,
  language    VARCHAR(8)   NOT NULL,
  title       VARCHAR(120) NOT NULL,
  body        TEXT         NOT NULL,
  created_by  VARCHAR(26)  NOT NULL,
  created_at  DATETIME(6)  NOT NULL
);
