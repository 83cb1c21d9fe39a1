-- Focused Build work packages and work items (migration range 500-599). Times are milliseconds
-- since the Unix epoch (BIGINT); flags are INTEGER 0/1; dates YYYYMMDD and appointment stamps
-- YYYYMMDDhhmmss are kept as the text the payload carries. Portable SQL (SQLite and PostgreSQL).

-- Values every node sharing the store agrees on: SYSTEM_GUID, the document link key.
CREATE TABLE fb_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Ticket numbers: drawn in blocks (UPDATE … SET next_number = next_number + n, read back in the
-- same transaction), as SAP buffers number ranges; a block lost with its process leaves a gap.
CREATE TABLE fb_number_ranges (
  object      TEXT PRIMARY KEY,
  next_number BIGINT NOT NULL
);
INSERT INTO fb_number_ranges (object, next_number) VALUES ('TICKET', 8000000001);

-- One row per work package (S1IT) or work item (S1CG, S1MJ); parent_guid is the work item's
-- package ('' for packages). version grows with every change (optimistic check of writers).
CREATE TABLE fb_objects (
  guid TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL UNIQUE,
  process_type TEXT NOT NULL,
  parent_guid TEXT NOT NULL,
  description TEXT NOT NULL,
  status TEXT NOT NULL,
  project TEXT NOT NULL,
  priority INTEGER NOT NULL,
  impact INTEGER NOT NULL,
  urgency INTEGER NOT NULL,
  effort_hundredths BIGINT NOT NULL,
  effort_unit TEXT NOT NULL,
  ppm_project_id TEXT NOT NULL,
  ppm_project_text TEXT NOT NULL,
  ppm_wave TEXT NOT NULL,
  ppm_wave_text TEXT NOT NULL,
  ppm_start_date TEXT NOT NULL,
  ppm_finish_date TEXT NOT NULL,
  ppm_completion INTEGER NOT NULL,
  ppm_total_work BIGINT NOT NULL,
  ppm_total_work_unit TEXT NOT NULL,
  requested_release_no TEXT NOT NULL,
  requested_release_class TEXT NOT NULL,
  requested_release_type TEXT NOT NULL,
  requested_go_live_date TEXT NOT NULL,
  forecast_release_no TEXT NOT NULL,
  forecast_release_class TEXT NOT NULL,
  forecast_release_type TEXT NOT NULL,
  forecast_go_live_date TEXT NOT NULL,
  actual_release_no TEXT NOT NULL,
  actual_release_class TEXT NOT NULL,
  actual_release_type TEXT NOT NULL,
  actual_go_live_date TEXT NOT NULL,
  classification TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  changed_at BIGINT NOT NULL,
  changed_by TEXT NOT NULL,
  handed_over INTEGER NOT NULL,  -- S1_CALL_EXT ran for it (or its package)
  push_destination TEXT NOT NULL,  -- where its create went ('' before the first push)
  create_message BIGINT NOT NULL,  -- outbox id of its latest create (0: none)
  last_external_status TEXT NOT NULL,  -- ExtStatus of the last accepted StatusSet call
  version BIGINT NOT NULL
);
CREATE INDEX fb_objects_parent ON fb_objects (parent_guid);

-- Child lists of an object, in their order (seq).
CREATE TABLE fb_partners (
  guid TEXT NOT NULL, seq INTEGER NOT NULL, partner_function TEXT NOT NULL, partner_no TEXT NOT NULL,
  main INTEGER NOT NULL, PRIMARY KEY (guid, seq)
);
CREATE TABLE fb_texts (
  guid TEXT NOT NULL, seq INTEGER NOT NULL, text_id TEXT NOT NULL, author TEXT NOT NULL,
  changed_at BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (guid, seq)
);
CREATE TABLE fb_appointments (
  guid TEXT NOT NULL, seq INTEGER NOT NULL, date_type TEXT NOT NULL, stamp TEXT NOT NULL,
  time_zone TEXT NOT NULL, is_duration INTEGER NOT NULL, duration BIGINT NOT NULL, time_unit TEXT NOT NULL,
  PRIMARY KEY (guid, seq)
);
CREATE TABLE fb_categories (
  guid TEXT NOT NULL, seq INTEGER NOT NULL, category_guid TEXT NOT NULL, description TEXT NOT NULL,
  level INTEGER NOT NULL, PRIMARY KEY (guid, seq)
);
CREATE TABLE fb_process_nodes (
  guid TEXT NOT NULL, seq INTEGER NOT NULL, project_id TEXT NOT NULL, node_id TEXT NOT NULL,
  step_text TEXT NOT NULL, process_text TEXT NOT NULL, scenario_text TEXT NOT NULL, PRIMARY KEY (guid, seq)
);
CREATE TABLE fb_wricef (
  guid TEXT NOT NULL, seq INTEGER NOT NULL, attr_key TEXT NOT NULL, attr_value TEXT NOT NULL,
  PRIMARY KEY (guid, seq)
);

-- Documents and attachments with their content (base64: binary-safe on both back ends).
-- A link attachment (EXTENSION URL) has link_url and no content.
CREATE TABLE fb_documents (
  doc_id TEXT PRIMARY KEY,
  guid TEXT NOT NULL,
  kind TEXT NOT NULL,  -- document, attachment
  file_name TEXT NOT NULL,
  title TEXT NOT NULL,
  doc_status TEXT NOT NULL,
  doc_status_text TEXT NOT NULL,
  doc_type TEXT NOT NULL,
  doc_type_text TEXT NOT NULL,
  author TEXT NOT NULL,
  author_name TEXT NOT NULL,
  technical_name TEXT NOT NULL,
  extension TEXT NOT NULL,
  link_url TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  content TEXT NOT NULL
);
CREATE INDEX fb_documents_object ON fb_documents (guid, created_at);

-- Status history: who (a user, or the inbound service's caller) changed what, when.
CREATE TABLE fb_status_history (
  guid TEXT NOT NULL,
  seq BIGINT NOT NULL,
  at_ms BIGINT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  origin TEXT NOT NULL,  -- create, control, inbound
  external_status TEXT NOT NULL,
  PRIMARY KEY (guid, seq)
);

-- The customizing as its canonical document (the service layer's codec writes and reads it).
CREATE TABLE fb_customizing (
  name       TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  changed_at BIGINT NOT NULL,
  changed_by TEXT NOT NULL
);
