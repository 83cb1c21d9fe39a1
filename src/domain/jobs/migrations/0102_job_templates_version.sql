-- Counts template changes: every node compares it with the copy of the templates it holds and
-- reloads them when another node changed one (shared stores only).
CREATE TABLE job_templates_version (
  id      INTEGER PRIMARY KEY,
  version BIGINT NOT NULL
);
INSERT INTO job_templates_version (id, version) VALUES (1, 1);
