// Private to the jobs folder: the jobs table's columns as repository.cpp and leases.cpp read
// them, and the step rows that complete a job.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "domain/jobs/job.h"
#include "store/database.h"

namespace causeway::jobs::rows {

// The jobs columns DecodeJob reads, in its order (an SQL list, for SELECT and RETURNING).
extern const char kJobColumns[];
std::vector<std::string> JobColumnList();
// A row that starts with kJobColumns; steps are left empty. kInternal if the row is corrupt.
core::Result<Job> DecodeJob(const store::Row& r);
// Loads the job's steps (in step order) into job->steps, replacing what was there.
core::Status LoadSteps(store::Tx& tx, Job* job);
// The same for every job of `jobs` (distinct keys), with one statement per kKeysPerStatement jobs
// instead of one per job: a claim of several jobs costs one round trip for their steps.
core::Status LoadStepsOf(store::Tx& tx, std::vector<Job>& jobs);
// Most jobs one statement lists (store::RepeatedSql: a bounded number of statement texts in each
// connection's cache). Such statements list the names only, "job_name IN (?, …)", not row values
// `(job_name, run_count) IN ((?, ?), …)`, which SQLite answers with a scan of the whole table: a
// name prefix of the primary key is an index lookup on both back ends. Callers match the rows
// they get to their keys (a name may have several run counts).
inline constexpr size_t kKeysPerStatement = 16;
JobStatus StatusOf(std::string_view letter);
store::Value StatusValue(JobStatus s);
store::Value Ms(core::SystemTime t);
store::Value OptMs(const std::optional<core::SystemTime>& t);
store::Value Str(std::string s);

}  // namespace causeway::jobs::rows
