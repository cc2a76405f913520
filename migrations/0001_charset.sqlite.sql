-- SQLite stores text as UTF-8 already.
SELECT 1;
