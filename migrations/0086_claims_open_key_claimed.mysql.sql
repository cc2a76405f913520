UPDATE claims SET open_imei = CONCAT('~', order_number, '~', open_imei) WHERE device_check = 'claimed' AND open_imei IS NOT NULL;
