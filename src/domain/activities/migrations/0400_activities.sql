-- Activity tasks and the master data they refer to (migration range 400-499). Times are
-- milliseconds since the Unix epoch. A task's full state is one JSON document (task_codec.cpp);
-- the columns beside it are what lists filter and sort on.
CREATE TABLE activity_tasks (
  id                BIGINT PRIMARY KEY,
  uuid              TEXT NOT NULL UNIQUE,
  change_state      TEXT NOT NULL,
  name              TEXT NOT NULL,
  life_cycle_status TEXT NOT NULL,
  processor_id      TEXT NOT NULL,
  created_at        BIGINT NOT NULL,
  created_by        TEXT NOT NULL,
  changed_at        BIGINT NOT NULL,
  changed_by        TEXT NOT NULL,
  document          TEXT NOT NULL
);
CREATE INDEX activity_tasks_changed ON activity_tasks (changed_at);

-- Number ranges: one row per object; drawing is UPDATE … SET next_number = next_number + 1 and
-- reading it back in the same transaction.
CREATE TABLE activity_number_ranges (
  object      TEXT PRIMARY KEY,
  next_number BIGINT NOT NULL
);
INSERT INTO activity_number_ranges (object, next_number) VALUES ('TASK', 1);

-- Business partners (accounts, contacts, employees) tasks refer to.
CREATE TABLE activity_partners (
  partner_id  TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  email       TEXT NOT NULL,
  employee_id TEXT NOT NULL
);
CREATE INDEX activity_partners_email ON activity_partners (email);
CREATE INDEX activity_partners_employee ON activity_partners (employee_id);
