-- SQLite does not enforce VARCHAR lengths: open_imei already holds a serial number.
SELECT 1;
