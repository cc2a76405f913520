-- The counts of the claims filed before the table was kept.
INSERT INTO claim_counts (center_code, status, n)
SELECT center_code, status, COUNT(*) FROM claims GROUP BY center_code, status;
