-- Business agreements (contract accounts) replicated by BusinessAgreementReplicationIn
-- (migration range 600-699). Times are milliseconds since the Unix epoch. An agreement's full
-- state is one JSON document (agreement_codec.cpp); the columns beside it are what lookups and
-- lists use. Business partners are the house's master data (activity_partners, 0400).
CREATE TABLE agreements (
  id           TEXT PRIMARY KEY,
  uuid         TEXT NOT NULL UNIQUE,
  partner_id   TEXT NOT NULL,
  change_state TEXT NOT NULL,
  revision     BIGINT NOT NULL,
  created_at   BIGINT NOT NULL,
  created_by   TEXT NOT NULL,
  changed_at   BIGINT NOT NULL,
  changed_by   TEXT NOT NULL,
  document     TEXT NOT NULL
);
CREATE INDEX agreements_partner ON agreements (partner_id);

-- IDs for agreements the sender created without one: UPDATE … SET next_number = next_number + 1
-- and read back in the same transaction; 12 digits, as IS-U contract account numbers.
CREATE TABLE agreement_number_ranges (
  object      TEXT PRIMARY KEY,
  next_number BIGINT NOT NULL
);
INSERT INTO agreement_number_ranges (object, next_number) VALUES ('BUAG', 800000000001);
