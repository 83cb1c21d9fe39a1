-- A stored message's payload in a table of its own. Claiming and finishing a message rewrite its
-- soap_messages row (lease, status); with the payload (kilobytes) in that row, every rewrite
-- copied it and dirtied a page per two or three messages: claiming and finishing were most of
-- the pages a processed message wrote (bench/results/business_agreement.md). Written once at
-- reception, read when the message is processed or shown, deleted with its message.
CREATE TABLE soap_message_payloads (
-- dialect: sqlite
  message_id INTEGER PRIMARY KEY,      -- soap_messages.id (the rowid: no second index)
-- dialect: postgres
  message_id BIGINT PRIMARY KEY,       -- soap_messages.id
-- dialect: all
  payload    TEXT NOT NULL             -- the validated body element, standalone markup
);
INSERT INTO soap_message_payloads (message_id, payload) SELECT id, payload FROM soap_messages;
ALTER TABLE soap_messages DROP COLUMN payload;
