CREATE TABLE centers (
  code       VARCHAR(32)  NOT NULL PRIMARY KEY,
  name       VARCHAR(200) NOT NULL,
  country    CHAR(2)      NOT NULL,
  time_zone  VARCHAR(64)  NOT NULL,
  address    TEXT         NOT NULL,
  updated_at DATETIME(6)  NOT NULL
);
