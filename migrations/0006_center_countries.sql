CREATE TABLE center_countries (
  country     CHAR(2)     NOT NULL PRIMARY KEY,
  center_code VARCHAR(32) NOT NULL,
  CONSTRAINT fk_center_countries_center FOREIGN KEY (center_code) REFERENCES centers (code)
);
