// Claiming queued work shared by several nodes (jobs, outbox, message queue).
//
// A claim takes up to N "ready" rows of one table in a given order, stamps them with a lease
// (owner + expiry) and returns them, in one statement:
//   PostgreSQL: UPDATE t SET owner = ?, expires = ? WHERE (key) IN
//                 (SELECT key FROM t WHERE <ready> AND <lease free> ORDER BY … LIMIT ?
//                  FOR UPDATE SKIP LOCKED) RETURNING …
//   SQLite:     the same without FOR UPDATE SKIP LOCKED (its single writer already serializes
//               claimers; RETURNING needs SQLite ≥ 3.35).
// A row's lease is free when its owner is NULL or its expiry is ≤ now, so rows of a node that
// died are claimed again once their lease expired. Renewing or releasing a lease is a plain
// UPDATE by the owner.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/database.h"

namespace causeway::store {

// What to claim. Names are SQL identifiers written by the caller (never user input); `ready` is
// an SQL condition that may hold '?' placeholders, bound from ClaimRequest::ready_params.
struct ClaimSpec {
  std::string table;                      // e.g. "jobs"
  std::vector<std::string> key_columns;   // identify a row, e.g. {"job_name", "run_count"}
  std::string ready;                      // e.g. "status = 'S' AND planned_start <= ?"; "" = all rows
  std::string order_by;                   // e.g. "planned_start, job_name"; must be deterministic
  std::vector<std::string> returning;     // columns returned for each claimed row
  std::string owner_column = "lease_owner";      // TEXT, NULL when free
  std::string expires_column = "lease_expires";  // BIGINT milliseconds since the epoch
};

struct ClaimRequest {
  std::string owner;                 // this node's claimer id
  int64_t lease_until_ms = 0;        // the lease's expiry written to the rows
  int64_t now_ms = 0;                // leases expiring at or before this are free
  int64_t limit = 1;                 // most rows claimed
  std::vector<Value> ready_params;   // values for the '?' in ClaimSpec::ready, in order
};

// The claim statement for `dialect`. Its parameters, in order: owner, lease_until_ms,
// ready_params…, now_ms, limit.
std::string ClaimSql(Dialect dialect, const ClaimSpec& spec);

// Runs the claim inside `tx` (call it from Database::Write; the lease is held once that commits)
// and calls `on_row` with the `returning` columns of each claimed row, in no particular order.
// Returns the statement's error, if any.
Status Claim(Tx& tx, Dialect dialect, const ClaimSpec& spec, const ClaimRequest& request,
             const std::function<void(const Row&)>& on_row);

}  // namespace causeway::store
