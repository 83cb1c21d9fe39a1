-- Indexes whose column order also gives the order the reads ask for, so that SQLite neither
-- walks more than it returns nor sorts; and one index no read uses.

-- Every incoming operation with an ExternalId looks its reference up "… WHERE tenant = ? AND
-- system_id = ? AND external_id = ? ORDER BY change_id". Without change_id in the index SQLite
-- answered by walking the primary key over all the tenant's references to skip the sort:
-- O(records) per request.
DROP INDEX cx_external_refs_external;
CREATE INDEX cx_external_refs_external ON cx_external_refs (tenant, system_id, external_id, change_id);

-- The poll pages by (time, change, rseq) and reads the operation's columns: all in the index,
-- so a page is one walk of it without a sort (the page's comments and references find their
-- change ids the same way).
DROP INDEX cx_outgoing_poll;
CREATE INDEX cx_outgoing_poll ON cx_outgoing (tenant, system_id, time_ms, change_id, rseq, operation, cause, pushed);

-- A record's comments by seq without a sort.
CREATE INDEX cx_comments_seq ON cx_comments (tenant, change_id, seq);

-- No read uses it (lists are by id), and every update moved the record's entry in it: one
-- more page or two for each commit to write.
DROP INDEX cx_changes_updated;
