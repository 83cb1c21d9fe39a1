#include "domain/jobs/job_leases.h"

#include "domain/jobs/job_repository.h"
#include "domain/jobs/job_rows.h"
#include "store/claim.h"

namespace causeway::jobs::leases {
namespace {

using store::Value;

store::ClaimSpec JobsSpec(std::string ready) {
  return store::ClaimSpec{.table = "jobs",
                          .key_columns = {"job_name", "run_count"},
                          .ready = std::move(ready),
                          // The order of the jobs_waiting index and of no other (0103).
                          .order_by = "created_at + 0, job_name, run_count",
                          .returning = rows::JobColumnList(),
                          .owner_column = "lease_owner",
                          .expires_column = "lease_expires_ms"};
}

// Runs `claim` (store::Claim or store::LockReady) and decodes its rows, with their steps.
template <typename ClaimFn>
core::Result<std::vector<Job>> ClaimJobs(store::Tx& tx, ClaimFn claim) {
  std::vector<Job> out;
  core::Status decode_error;
  CW_RETURN_IF_ERROR(claim([&](const store::Row& r) {
    auto j = rows::DecodeJob(r);
    if (!j.ok()) decode_error = std::move(j).error();
    else out.push_back(std::move(j).value());
  }));
  CW_RETURN_IF_ERROR(decode_error);
  SortOldestFirst(out);  // a claim's RETURNING gives no order
  CW_RETURN_IF_ERROR(rows::LoadStepsOf(tx, out));
  return out;
}

Value Key0(const JobKey& k) { return Value(k.name); }
Value Key1(const JobKey& k) { return Value(k.run_count); }

}  // namespace

const store::ClaimSpec& WaitingSpec() {
  static const store::ClaimSpec kSpec = JobsSpec("status = 'Y'");
  return kSpec;
}

core::Result<std::vector<Job>> LockWaiting(store::Tx& tx, store::Dialect dialect, int64_t now_ms, int64_t limit) {
  return ClaimJobs(tx, [&](const std::function<void(const store::Row&)>& on_row) {
    return store::LockReady(tx, dialect, WaitingSpec(), {.now_ms = now_ms, .limit = limit}, on_row);
  });
}

core::Result<std::vector<Job>> ClaimOrphaned(store::Tx& tx, store::Dialect dialect, const std::string& owner,
                                             int64_t now_ms, int64_t until_ms, int64_t limit) {
  static const store::ClaimSpec kSpec = JobsSpec("status IN ('R', 'c')");
  return ClaimJobs(tx, [&](const std::function<void(const store::Row&)>& on_row) {
    return store::Claim(tx, dialect, kSpec,
                        {.owner = owner, .lease_until_ms = until_ms, .now_ms = now_ms, .limit = limit}, on_row);
  });
}

core::Result<bool> AnyWaiting(store::Tx& tx, int64_t now_ms) {
  bool any = false;
  CW_RETURN_IF_ERROR(tx.Query("SELECT 1 FROM jobs WHERE status = 'Y' AND (lease_owner IS NULL OR "
                              "lease_expires_ms <= ?) LIMIT 1",
                              {Value(now_ms)}, [&](const store::Row&) { any = true; }));
  return any;
}

core::Result<bool> AnyOrphaned(store::Tx& tx, int64_t now_ms) {
  bool any = false;
  CW_RETURN_IF_ERROR(tx.Query("SELECT 1 FROM jobs WHERE status IN ('R', 'c') AND (lease_owner IS NULL OR "
                              "lease_expires_ms <= ?) LIMIT 1",
                              {Value(now_ms)}, [&](const store::Row&) { any = true; }));
  return any;
}

core::Result<std::optional<Held>> Renew(store::Tx& tx, const JobKey& key, const std::string& owner,
                                        int64_t until_ms) {
  std::optional<Held> out;
  CW_RETURN_IF_ERROR(tx.Query("UPDATE jobs SET lease_expires_ms = ? WHERE job_name = ? AND run_count = ? AND "
                              "lease_owner = ? RETURNING status, cancel_requested",
                              {Value(until_ms), Key0(key), Key1(key), Value(owner)}, [&](const store::Row& r) {
                                out = Held{rows::StatusOf(r.Text(0)), r.Int(1) != 0};
                              }));
  return out;
}

core::Result<bool> HeldByAnother(store::Tx& tx, const JobKey& key, const std::string& owner) {
  bool other = false;
  CW_RETURN_IF_ERROR(tx.Query("SELECT 1 FROM jobs WHERE job_name = ? AND run_count = ? AND lease_owner IS NOT NULL "
                              "AND lease_owner <> ?",
                              {Key0(key), Key1(key), Value(owner)}, [&](const store::Row&) { other = true; }));
  return other;
}

core::Result<bool> HoldWaiting(store::Tx& tx, const JobKey& key, const std::string& owner, int64_t now_ms,
                               int64_t until_ms) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec("UPDATE jobs SET lease_owner = ?, lease_expires_ms = ? WHERE job_name = ? AND "
                             "run_count = ? AND status = 'Y' AND (lease_owner IS NULL OR lease_expires_ms <= ?)",
                             {Value(owner), Value(until_ms), Key0(key), Key1(key), Value(now_ms)}, &changed));
  return changed > 0;
}

core::Status Release(store::Tx& tx, const JobKey& key, const std::string& owner) {
  return tx.Exec("UPDATE jobs SET lease_owner = NULL, lease_expires_ms = NULL WHERE job_name = ? AND "
                 "run_count = ? AND lease_owner = ?",
                 {Key0(key), Key1(key), Value(owner)});
}

core::Status Unclaim(store::Tx& tx, const JobKey& key, const std::string& owner, int64_t first_seq) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec("UPDATE jobs SET status = 'Y', started_at = NULL, lease_owner = NULL, "
                             "lease_expires_ms = NULL WHERE job_name = ? AND run_count = ? AND lease_owner = ?",
                             {Key0(key), Key1(key), Value(owner)}, &changed));
  if (changed == 0) return core::Status::Ok();
  tx.Notify(kJobsChannel, key.Joined());  // back to waiting
  return tx.Exec("DELETE FROM job_log WHERE job_name = ? AND run_count = ? AND seq >= ?",
                 {Key0(key), Key1(key), Value(first_seq)});
}

core::Status FreeWaitingLeases(store::Tx& tx) {
  return tx.Exec("UPDATE jobs SET lease_owner = NULL, lease_expires_ms = NULL WHERE status = 'Y' AND "
                 "lease_owner IS NOT NULL");
}

core::Status ExpireLeasesOfPreviousProcess(store::Tx& tx, const std::string& owner) {
  return tx.Exec("UPDATE jobs SET lease_expires_ms = 0 WHERE lease_owner IS NOT NULL AND (lease_owner = ? OR "
                 "substr(lease_owner, 1, ?) = ?)",
                 {Value(owner), Value(static_cast<int64_t>(owner.size() + 1)), Value(owner + "/")});
}

}  // namespace causeway::jobs::leases
