-- One row per ordering key, locked (upserted) by every transaction that decides or moves the
-- key's head: an enqueue that finds the key busy and a delivery that hands the head on must
-- not both miss each other, which READ COMMITTED on PostgreSQL allows without it. Rows of keys
-- without messages are pruned.
CREATE TABLE outbox_key_locks (
  destination  TEXT NOT NULL,
  ordering_key TEXT NOT NULL,
  PRIMARY KEY (destination, ordering_key)
);
