-- Claims of received heads order by "id + 0": only this index can give that order. With the
-- plain column the primary key could stand in for it, and planners that assume claimable heads
-- are spread evenly through the messages chose it under load, walking every processed message
-- first (store/claim.h, "Plans").
DROP INDEX soap_messages_ready;
CREATE INDEX soap_messages_ready ON soap_messages (service, (id + 0)) WHERE head = 1 AND status = 'received';
