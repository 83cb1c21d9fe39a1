-- Activity tasks with fewer B-trees to insert into per created task (migration range 400-499;
-- figures in bench/results/task_activity.md). On SQLite the task number becomes the table's
-- rowid (INTEGER PRIMARY KEY, 64-bit there): a BIGINT PRIMARY KEY is a separate unique index
-- beside the rowid, one more insert per task and one more lookup per read by ID. The index on
-- changed_at goes on both back ends: no query uses it (create it again with the query that
-- needs it). Same columns, same data.
-- dialect: sqlite
CREATE TABLE activity_tasks_0401 (
  id                INTEGER PRIMARY KEY,
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
INSERT INTO activity_tasks_0401 (id, uuid, change_state, name, life_cycle_status, processor_id, created_at,
                                 created_by, changed_at, changed_by, document)
  SELECT id, uuid, change_state, name, life_cycle_status, processor_id, created_at, created_by, changed_at,
         changed_by, document
  FROM activity_tasks;
DROP TABLE activity_tasks;
ALTER TABLE activity_tasks_0401 RENAME TO activity_tasks;
-- dialect: postgres
DROP INDEX activity_tasks_changed;
