-- SQLite does not enforce VARCHAR lengths: open_imei already holds an order number and a device.
SELECT 1;
