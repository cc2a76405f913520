-- (status, review_due_at, id) serves every read this index served.
DROP INDEX idx_claims_status_review;
