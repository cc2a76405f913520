CREATE TABLE sellers (
  code           VARCHAR(32)  NOT NULL PRIMARY KEY,
  name           VARCHAR(200) NOT NULL,
  email          VARCHAR(254) NOT NULL,
  language       VARCHAR(5)   NOT NULL,
  return_address TEXT         NOT NULL,
  updated_at     DATETIME(6)  NOT NULL
);
