UPDATE claims SET device_check = 'claimed'
WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.number = claims.order_number
  AND ((claims.imei <> '' AND o.imei = claims.imei) OR (claims.serial_number <> '' AND o.serial_number = claims.serial_number)));
