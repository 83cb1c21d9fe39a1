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
JobStatus StatusOf(std::string_view letter);
store::Value StatusValue(JobStatus s);
store::Value Ms(core::SystemTime t);
store::Value OptMs(const std::optional<core::SystemTime>& t);
store::Value Str(std::string s);

}  // namespace causeway::jobs::rows
