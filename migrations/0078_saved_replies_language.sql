CREATE INDEX idx_saved_replies_language ON saved_replies (language, title);
