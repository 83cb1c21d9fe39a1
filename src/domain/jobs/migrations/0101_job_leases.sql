-- Claims shared by several nodes (store/claim.h): a job is run by the node that holds its lease
-- (owner + expiry in milliseconds since the epoch, renewed while it runs); a cancel of a running
-- job sets cancel_requested, which the running node sees at its next renewal. A waiting job's
-- lease is also how a staged cancel keeps workers away from it.
ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE jobs ADD COLUMN lease_expires_ms BIGINT;
ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;

-- Indexes that keep the hot queries independent of how many finished jobs the store holds:
-- waiting jobs oldest first (claims), running jobs (recovery after a lease expired), the job
-- list by creation time (per creator for callers without SAP_COM_0326), clean-up by end time.
CREATE INDEX jobs_waiting ON jobs (created_at, job_name, run_count) WHERE status = 'Y';
CREATE INDEX jobs_running ON jobs (lease_expires_ms) WHERE status IN ('R', 'c');
CREATE INDEX jobs_created ON jobs (created_at);
CREATE INDEX jobs_creator ON jobs (creator, created_at);
CREATE INDEX jobs_ended ON jobs (ended_at);
DROP INDEX jobs_status;
