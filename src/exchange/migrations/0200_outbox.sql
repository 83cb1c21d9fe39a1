-- Outbox schema (migration range 200-299). Times are milliseconds since the Unix epoch (BIGINT);
-- flags are INTEGER 0/1. Portable SQL: the same text runs on SQLite and PostgreSQL.
--
-- Each index costs every message a b-tree update or two in the one writer, so there are few:
-- counts by state (metrics) and the lease sweep scan on a reader connection instead.
--
-- Invariant per (destination, ordering_key), in seq order: a prefix of finished messages
-- (delivered, skipped), then at most one head (head = 1: pending, in_flight or failed), then
-- pending messages. Only a head is ever claimed, so a key is delivered strictly in order.
CREATE TABLE outbox_messages (
  id                BIGINT PRIMARY KEY,    -- assigned by the outbox when the message is enqueued
  destination       TEXT NOT NULL,
  kind              TEXT NOT NULL,         -- the MessageKind that builds its request
  ordering_key      TEXT NOT NULL,
  seq               BIGINT NOT NULL,       -- position in its key: commit order
  object_key        TEXT NOT NULL,         -- '' when the message concerns no object
  creates           INTEGER NOT NULL,      -- 1: delivering it creates object_key
  payload           TEXT NOT NULL,
  idempotency_key   TEXT NOT NULL,
  depends_on_id     BIGINT,                -- waits for this message and reads its result
  depends_on_object TEXT,                  -- reads this object's stored result (latest create)
  state             TEXT NOT NULL,         -- pending, in_flight, delivered, failed, skipped
  head              INTEGER NOT NULL,
  coalescing        INTEGER NOT NULL,      -- 1: enqueued with coalesce_with_pending
  coalesced         INTEGER NOT NULL,      -- earlier unsent messages folded into this one
  created_ms        BIGINT NOT NULL,
  not_before_ms     BIGINT NOT NULL,       -- not claimed before (back-off, Retry-After)
  attempts          INTEGER NOT NULL,      -- attempts started, an interrupted one included
  budget_base       INTEGER NOT NULL,      -- attempts made before the last operator retry
  first_attempt_ms  BIGINT,                -- first attempt since the last operator retry
  last_attempt_ms   BIGINT,
  last_delay_ms     BIGINT NOT NULL,       -- the back-off delay chosen last
  maybe_received    INTEGER NOT NULL,      -- an earlier attempt may have arrived unanswered
  lease_owner       TEXT,                  -- node holding it in flight
  lease_expires_ms  BIGINT,
  finished_ms       BIGINT,                -- when delivered, failed or skipped
  result            TEXT,                  -- what MessageKind::ResultOf kept of the answer
  last_error        TEXT NOT NULL,
  -- The last attempt's answer. A successful attempt lives only here (the usual case costs no
  -- row in outbox_attempts); every other attempt also has its row there.
  last_status       INTEGER NOT NULL,
  last_latency_us   BIGINT NOT NULL,
  last_outcome      TEXT NOT NULL,         -- '' before the first attempt ends
  last_answer_head  TEXT NOT NULL
);
CREATE UNIQUE INDEX outbox_key_seq ON outbox_messages (destination, ordering_key, seq);
-- Claimable heads, oldest due first.
CREATE INDEX outbox_ready ON outbox_messages (destination, not_before_ms) WHERE head = 1 AND state = 'pending';
CREATE INDEX outbox_finished ON outbox_messages (finished_ms) WHERE state = 'delivered' OR state = 'skipped';
-- Messages a later one may fold into itself; only those that asked to coalesce.
CREATE INDEX outbox_unsent ON outbox_messages (destination, ordering_key, object_key, kind)
  WHERE state = 'pending' AND attempts = 0 AND coalescing = 1;
CREATE INDEX outbox_creates ON outbox_messages (destination, object_key, id) WHERE creates = 1;
CREATE INDEX outbox_dependents ON outbox_messages (depends_on_id) WHERE depends_on_id IS NOT NULL;

-- Every attempt that did not succeed (the successful one is the message's last_*): the
-- operator's history of a message. Pruned with it.
CREATE TABLE outbox_attempts (
  message_id  BIGINT NOT NULL,
  attempt     INTEGER NOT NULL,
  started_ms  BIGINT NOT NULL,
  latency_us  BIGINT NOT NULL,
  status      INTEGER NOT NULL,            -- HTTP status; 0 when no answer was read
  outcome     TEXT NOT NULL,               -- success, retryable, permanent, not_sent, interrupted
  error       TEXT NOT NULL,
  answer_head TEXT NOT NULL,               -- the first bytes of the answer body
  PRIMARY KEY (message_id, attempt)
);

-- The result of the latest delivered create of each object (an EXTERNAL_ID), kept after its
-- message is pruned: later messages of the object read it.
CREATE TABLE outbox_objects (
  destination TEXT NOT NULL,
  object_key  TEXT NOT NULL,
  result      TEXT NOT NULL,
  message_id  BIGINT NOT NULL,
  updated_ms  BIGINT NOT NULL,
  PRIMARY KEY (destination, object_key)
);

-- Paused destinations, shared by every node.
CREATE TABLE outbox_destination_state (
  destination TEXT PRIMARY KEY,
  paused      INTEGER NOT NULL,
  changed_ms  BIGINT NOT NULL
);

-- max_pruned_id: ids are never reused after their messages were pruned.
CREATE TABLE outbox_counters (
  name  TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO outbox_counters (name, value) VALUES ('max_pruned_id', 0);
