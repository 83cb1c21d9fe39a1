// Which node runs a job: claims and leases on the jobs table (store/claim.h). A node claims
// waiting jobs (status Y) oldest first — FOR UPDATE SKIP LOCKED on PostgreSQL, so concurrent
// claimers take different rows — and holds each job's lease (lease_owner, lease_expires_ms)
// while it runs, renewing it; the lease is released when the job ends. A running job whose
// lease expired belongs to a node that died: any node may claim it to end it. A staged cancel
// of a waiting job holds that job's lease too, so that no worker anywhere starts it meanwhile.
//
// Stateless functions inside the caller's transaction, like repository.h; times are
// milliseconds since the epoch on the engine's clock; owners are node ids (or hold ids).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/jobs/job.h"
#include "store/claim.h"
#include "store/database.h"

namespace causeway::jobs::leases {

// What LockWaiting takes (store/claim.h): waiting jobs in the order of the jobs_waiting index,
// which is the only index that can give it (migration 0103).
const store::ClaimSpec& WaitingSpec();
// Locks up to `limit` waiting jobs whose lease is free at `now_ms`, oldest first (creation
// time, then key), for the rest of the transaction (store::LockReady: other nodes skip them) and
// returns them with their steps, oldest first. The caller takes each one's lease in the same
// transaction, with the job's first change (repository::WriteChanges, LeaseChange::Take), or
// ends it there.
core::Result<std::vector<Job>> LockWaiting(store::Tx& tx, store::Dialect dialect, int64_t now_ms, int64_t limit);
// Claims up to `limit` running jobs (R, c) whose lease is free at `now_ms` (expired, or none),
// for `owner` until `until_ms`; with their steps, oldest first. Pass INT64_MAX as `now_ms` to
// take over every running job (a sole node restarting). The caller skips jobs it still runs
// itself (its own lease expired because a renewal came late): the claim renewed those.
core::Result<std::vector<Job>> ClaimOrphaned(store::Tx& tx, store::Dialect dialect, const std::string& owner,
                                             int64_t now_ms, int64_t until_ms, int64_t limit);
// Cheap probes (a Read) before a claim, so that an idle node does not write to find nothing.
core::Result<bool> AnyWaiting(store::Tx& tx, int64_t now_ms);
core::Result<bool> AnyOrphaned(store::Tx& tx, int64_t now_ms);

struct Held {
  JobStatus status = JobStatus::kUnknown;
  bool cancel_requested = false;
};
// Extends `owner`'s lease of the job to `until_ms` (which also locks its row for the rest of the
// transaction) and returns the job's stored status; nullopt if `owner` does not hold it.
core::Result<std::optional<Held>> Renew(store::Tx& tx, const JobKey& key, const std::string& owner,
                                        int64_t until_ms);
// After Renew found no lease of `owner`: whether another owner holds the job now (taken over),
// rather than nobody (the job ended and released it, or is gone).
core::Result<bool> HeldByAnother(store::Tx& tx, const JobKey& key, const std::string& owner);
// Takes the lease of a waiting job whose lease is free at `now_ms`; false if the job is not
// waiting or someone holds it.
core::Result<bool> HoldWaiting(store::Tx& tx, const JobKey& key, const std::string& owner, int64_t now_ms,
                               int64_t until_ms);
// Clears `owner`'s lease of the job (nothing if it does not hold it).
core::Status Release(store::Tx& tx, const JobKey& key, const std::string& owner);
// Puts a job `owner` claimed but never ran back in the queue: status Y, no start time, no
// lease, without its log lines from `first_seq` on (the "Job started" line of the claim).
core::Status Unclaim(store::Tx& tx, const JobKey& key, const std::string& owner, int64_t first_seq);
// Clears every lease on waiting jobs (a sole node restarting: those holds died with it).
core::Status FreeWaitingLeases(store::Tx& tx);

// At start, with a node id that outlives the process: the leases `owner` (and its cancel holds,
// `owner/…`) still hold belong to its previous process, which is gone. They expire now, so this
// node's recovery ends its orphans at once instead of after lease_ms.
core::Status ExpireLeasesOfPreviousProcess(store::Tx& tx, const std::string& owner);

}  // namespace causeway::jobs::leases
