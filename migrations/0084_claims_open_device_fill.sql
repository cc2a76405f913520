UPDATE claims SET open_device = open_imei WHERE open_imei IS NOT NULL;
