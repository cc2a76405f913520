CREATE INDEX idx_mail_to ON mail (to_addr, id);
