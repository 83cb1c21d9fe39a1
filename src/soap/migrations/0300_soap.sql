-- SOAP engine tables (migration range 300-399). Times are milliseconds since the Unix epoch.

-- The web-service error log: what a SOAP fault's "Transaction ID" points to.
CREATE TABLE soap_error_log (
  transaction_id TEXT PRIMARY KEY,
  logged_at      BIGINT NOT NULL,
  service        TEXT NOT NULL,
  operation      TEXT NOT NULL,
  user_name      TEXT NOT NULL,
  soap_version   TEXT NOT NULL,
  category       TEXT NOT NULL,
  error_code     TEXT NOT NULL,
  detail         TEXT NOT NULL
);
CREATE INDEX soap_error_log_at ON soap_error_log (logged_at);

-- Idempotent operations (SAP idempotency policy): responses by BasicMessageHeader/UUID. The
-- response is kept until response_expires, the ID until id_expires (longer).
CREATE TABLE soap_idempotency (
  service          TEXT NOT NULL,
  message_uuid     TEXT NOT NULL,
  operation        TEXT NOT NULL,
  request_hash     TEXT NOT NULL,
  response         TEXT,
  created_at       BIGINT NOT NULL,
  response_expires BIGINT NOT NULL,
  id_expires       BIGINT NOT NULL,
  PRIMARY KEY (service, message_uuid)
);
CREATE INDEX soap_idempotency_id_expires ON soap_idempotency (id_expires);
