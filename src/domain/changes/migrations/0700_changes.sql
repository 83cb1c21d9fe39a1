-- Change records and their case exchange (migration range 700-799). Times are milliseconds
-- since the Unix epoch. A change's full state is one JSON document (change_codec.cpp); the
-- columns beside it are what reads filter and sort on.

-- Master data of every tenant (tenants, people, groups, external systems) and the change
-- workflows, one JSON document each. `version` of the single row in cx_master_version grows
-- with every change, so other nodes know when to reload.
CREATE TABLE cx_master (
  tenant TEXT NOT NULL,
  kind   TEXT NOT NULL,
  id     TEXT NOT NULL,
  doc    TEXT NOT NULL,
  PRIMARY KEY (tenant, kind, id)
);
CREATE TABLE cx_master_version (
  id      INTEGER PRIMARY KEY,
  version BIGINT NOT NULL
);
INSERT INTO cx_master_version (id, version) VALUES (1, 1);

-- Number blocks: a node takes `next` … `next + n - 1` in one UPDATE … RETURNING.
CREATE TABLE cx_counters (
  name TEXT PRIMARY KEY,
  next BIGINT NOT NULL
);
INSERT INTO cx_counters (name, next) VALUES ('record', 10001);

CREATE TABLE cx_changes (
  tenant     TEXT NOT NULL,
  id         TEXT NOT NULL,
  version    BIGINT NOT NULL,
  created_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL,
  doc        TEXT NOT NULL,
  PRIMARY KEY (tenant, id)
);
CREATE INDEX cx_changes_updated ON cx_changes (tenant, updated_ms);

-- `seq` orders a record's comments as they were added.
CREATE TABLE cx_comments (
  tenant     TEXT NOT NULL,
  change_id  TEXT NOT NULL,
  id         TEXT NOT NULL,
  seq        BIGINT NOT NULL,
  created_ms BIGINT NOT NULL,
  body       TEXT NOT NULL,
  privacy    TEXT NOT NULL,
  is_system  INTEGER NOT NULL,
  submitter  TEXT NOT NULL,
  PRIMARY KEY (tenant, change_id, id)
);

CREATE TABLE cx_external_refs (
  tenant               TEXT NOT NULL,
  change_id            TEXT NOT NULL,
  system_id            TEXT NOT NULL,
  id                   TEXT NOT NULL,
  external_id          TEXT NOT NULL,
  external_status      TEXT NOT NULL,
  external_entity_type TEXT NOT NULL,
  PRIMARY KEY (tenant, change_id, system_id)
);
CREATE INDEX cx_external_refs_external ON cx_external_refs (tenant, system_id, external_id);

-- Outgoing operations, in order per record (`rseq`), addressed to one external system; the
-- poll reads them by (tenant, system, time).
CREATE TABLE cx_outgoing (
  tenant    TEXT NOT NULL,
  change_id TEXT NOT NULL,
  rseq      BIGINT NOT NULL,
  system_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  time_ms   BIGINT NOT NULL,
  cause     TEXT NOT NULL,
  pushed    INTEGER NOT NULL,
  PRIMARY KEY (tenant, change_id, rseq)
);
CREATE INDEX cx_outgoing_poll ON cx_outgoing (tenant, system_id, time_ms);

-- Incoming operations as received, applied or refused.
-- dialect: sqlite
CREATE TABLE cx_incoming (
  id          INTEGER PRIMARY KEY,
-- dialect: postgres
CREATE TABLE cx_incoming (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
-- dialect: all
  tenant      TEXT NOT NULL,
  change_id   TEXT NOT NULL,
  system_id   TEXT NOT NULL,
  operation   TEXT NOT NULL,
  external_id TEXT NOT NULL,
  caller      TEXT NOT NULL,
  time_ms     BIGINT NOT NULL,
  http_status INTEGER NOT NULL,
  message     TEXT NOT NULL
);
CREATE INDEX cx_incoming_change ON cx_incoming (tenant, change_id);

-- Uploaded files (attachments' content), base64 text so that both back ends store it alike.
CREATE TABLE cx_files (
  tenant       TEXT NOT NULL,
  guid         TEXT NOT NULL,
  name         TEXT NOT NULL,
  content_type TEXT NOT NULL,
  length       BIGINT NOT NULL,
  creator      TEXT NOT NULL,
  created_ms   BIGINT NOT NULL,
  content      TEXT NOT NULL,
  PRIMARY KEY (tenant, guid)
);
