CREATE INDEX idx_mail_rma ON mail (rma_number, id);
