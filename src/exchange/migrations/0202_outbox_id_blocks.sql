-- Message ids come from the store in blocks (next_id = the first id no node has taken), so
-- that nodes sharing a database never take the same id; it starts after every id used or pruned.
INSERT INTO outbox_counters (name, value)
SELECT 'next_id', 1 + MAX(v) FROM (
  SELECT COALESCE(MAX(id), 0) AS v FROM outbox_messages
  UNION ALL
  SELECT value AS v FROM outbox_counters WHERE name = 'max_pruned_id'
) AS used;
