-- How many claims each center has in each status, kept in the transaction
-- of every filing and transition: the dashboard reads these few rows
-- instead of counting claims, which grow without end.
CREATE TABLE claim_counts (
  center_code VARCHAR(32) NOT NULL,
  status      VARCHAR(24) NOT NULL,
  n           BIGINT      NOT NULL,
  PRIMARY KEY (center_code, status)
);
