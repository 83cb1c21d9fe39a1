-- The claim of waiting jobs orders by "created_at + 0": only this index can give that order.
-- With the plain column, jobs_created (created_at) could stand in for it, and planners that
-- assume waiting jobs are spread evenly through the jobs chose it in a flood, walking every
-- finished job first (store/claim.h, "Plans").
DROP INDEX jobs_waiting;
CREATE INDEX jobs_waiting ON jobs ((created_at + 0), job_name, run_count) WHERE status = 'Y';
