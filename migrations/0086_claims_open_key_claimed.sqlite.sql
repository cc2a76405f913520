UPDATE claims SET open_imei = '~' || order_number || '~' || open_imei WHERE device_check = 'claimed' AND open_imei IS NOT NULL;
