-- Logon lock state of users defined in the configuration (the users themselves live there).
CREATE TABLE security_user_state (
  name TEXT PRIMARY KEY,
  failed_logons INTEGER NOT NULL,
  locked INTEGER NOT NULL,
  changed_at TEXT NOT NULL
);
