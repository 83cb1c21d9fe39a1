-- Settings every node sharing the store must agree on (e.g. the session/CSRF secret).
CREATE TABLE causeway_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
