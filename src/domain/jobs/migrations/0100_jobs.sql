-- Job engine schema (migration range 100-199). Times are milliseconds since the Unix epoch
-- (BIGINT); step and parameter definitions are JSON text written by job_codec.cpp.
CREATE TABLE job_templates (
  name                 TEXT PRIMARY KEY,
  version              TEXT NOT NULL,
  text                 TEXT NOT NULL,
  report_name          TEXT NOT NULL,
  user_name            TEXT NOT NULL,
  steps                TEXT NOT NULL,
  parameters           TEXT NOT NULL,
  periodic_granularity TEXT NOT NULL,
  periodic_value       TEXT NOT NULL,
  supports_test_mode   INTEGER NOT NULL,
  allowed_users        TEXT NOT NULL,
  created_at           BIGINT NOT NULL,
  created_by           TEXT NOT NULL,
  changed_at           BIGINT NOT NULL,
  changed_by           TEXT NOT NULL
);

CREATE TABLE jobs (
  job_name       TEXT NOT NULL,
  run_count      TEXT NOT NULL,
  text           TEXT NOT NULL,
  template_name  TEXT NOT NULL,
  template_text  TEXT NOT NULL,
  report_name    TEXT NOT NULL,
  job_user       TEXT NOT NULL,
  creator        TEXT NOT NULL,
  status         TEXT NOT NULL,
  created_at     BIGINT NOT NULL,
  planned_start  BIGINT NOT NULL,
  started_at     BIGINT,
  ended_at       BIGINT,
  app_rc         INTEGER NOT NULL,
  parameters     TEXT NOT NULL,
  orig_job_name  TEXT NOT NULL,
  orig_job_count TEXT NOT NULL,
  restart_count  INTEGER NOT NULL,
  restart_mode   TEXT NOT NULL,
  PRIMARY KEY (job_name, run_count)
);
CREATE INDEX jobs_status ON jobs (status);

CREATE TABLE job_steps (
  job_name   TEXT NOT NULL,
  run_count  TEXT NOT NULL,
  step_nr    INTEGER NOT NULL,
  definition TEXT NOT NULL,
  status     TEXT NOT NULL,
  started_at BIGINT,
  ended_at   BIGINT,
  app_rc     INTEGER NOT NULL,
  PRIMARY KEY (job_name, run_count, step_nr)
);

CREATE TABLE job_log (
  job_name  TEXT NOT NULL,
  run_count TEXT NOT NULL,
  seq       BIGINT NOT NULL,
  step_nr   INTEGER NOT NULL,
  at        BIGINT NOT NULL,
  msg_type  TEXT NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (job_name, run_count, seq)
);
