-- A login names one person of a tenant, compared as logons compare it (ASCII letters without
-- case: core::IEquals; "C" keeps PostgreSQL's lower() to ASCII as well). Before, a second
-- person with a login already in use was stored: the logon finds the person with the lowest id
-- (Tenant::FindPersonByLogin), so the second could not log on, yet took over that login's
-- systems (authorized_user) once the first was renamed.
--
-- Duplicates stored before keep the login only on the person the logon found; the others lose
-- it (they could not log on with it anyway) and the version moves, so every node reloads.

-- dialect: sqlite
UPDATE cx_master SET doc = json_set(doc, '$.login', '')
WHERE kind = 'person' AND json_extract(doc, '$.login') <> '' AND EXISTS (
  SELECT 1 FROM cx_master o
  WHERE o.tenant = cx_master.tenant AND o.kind = 'person' AND o.id < cx_master.id
    AND lower(json_extract(o.doc, '$.login')) = lower(json_extract(cx_master.doc, '$.login')));
CREATE UNIQUE INDEX cx_master_login ON cx_master (tenant, lower(json_extract(doc, '$.login')))
  WHERE kind = 'person' AND json_extract(doc, '$.login') <> '';
-- dialect: postgres
UPDATE cx_master SET doc = jsonb_set(doc::jsonb, '{login}', '""')::text
WHERE kind = 'person' AND (doc::jsonb ->> 'login') <> '' AND EXISTS (
  SELECT 1 FROM cx_master o
  WHERE o.tenant = cx_master.tenant AND o.kind = 'person' AND o.id COLLATE "C" < cx_master.id COLLATE "C"
    AND lower((o.doc::jsonb ->> 'login') COLLATE "C") = lower((cx_master.doc::jsonb ->> 'login') COLLATE "C"));
CREATE UNIQUE INDEX cx_master_login ON cx_master (tenant, lower((doc::jsonb ->> 'login') COLLATE "C"))
  WHERE kind = 'person' AND (doc::jsonb ->> 'login') <> '';
-- dialect: all
UPDATE cx_master_version SET version = version + 1 WHERE id = 1;
