CREATE INDEX idx_users_role ON users (role, center_code);
