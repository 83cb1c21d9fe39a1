// Claiming queued work shared by several nodes (jobs, outbox, message queue).
//
// A claim takes up to N "ready" rows of one table in a given order, stamps them with a lease
// (owner + expiry) and returns them, in one statement:
//   PostgreSQL: UPDATE t SET owner = ?, expires = ? WHERE (key) IN
//                 (SELECT key FROM t WHERE <ready> AND <lease free> ORDER BY … LIMIT n
//                  FOR UPDATE SKIP LOCKED) RETURNING …
//   SQLite:     the same without FOR UPDATE SKIP LOCKED (its single writer already serializes
//               claimers; RETURNING needs SQLite ≥ 3.35).
// A row's lease is free when its owner is NULL or its expiry is ≤ now, so rows of a node that
// died are claimed again once their lease expired. Renewing or releasing a lease is a plain
// UPDATE by the owner.
//
// Plans. The limit is written into the statement, not bound: a prepared statement's generic
// plan takes an unknown LIMIT for a tenth of the table and then joins the outer UPDATE by
// hashing the whole table (PostgreSQL: a sequential scan of every finished row per claim). And
// give `order_by` an index of its own, partial on `ready`, that no other index can stand in for
// (an expression such as "created_at + 0" when another index leads with the column): planners
// assume the ready rows are spread evenly through an index, but a queue's ready rows are all at
// its end, so an index that merely starts with the order's column gets chosen and walks every
// finished row first (8 ms per claim of 8 jobs after 8,000 finished ones, growing with them).
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
  int64_t limit = 1;                 // most rows claimed (≥ 1)
  std::vector<Value> ready_params;   // values for the '?' in ClaimSpec::ready, in order
};

// The claim statement for `dialect` taking at most `limit` rows. Its parameters, in order:
// owner, lease_until_ms, ready_params…, now_ms.
std::string ClaimSql(Dialect dialect, const ClaimSpec& spec, int64_t limit);

// The rows a claim would take, locked for the rest of the transaction but not stamped:
//   PostgreSQL: SELECT … FROM t WHERE <ready> AND <lease free> ORDER BY … LIMIT n
//               FOR UPDATE SKIP LOCKED
// for a caller that rewrites each row in the same transaction anyway and writes its lease
// there (or ends the row's readiness): one new row version per row instead of two, and the
// ready index gains no entry for a version that is still ready but already claimed. Its
// parameters, in order: ready_params…, now_ms (ClaimRequest's owner and lease are the caller's).
std::string LockReadySql(Dialect dialect, const ClaimSpec& spec, int64_t limit);
Status LockReady(Tx& tx, Dialect dialect, const ClaimSpec& spec, const ClaimRequest& request,
                 const std::function<void(const Row&)>& on_row);

// Runs the claim inside `tx` (call it from Database::Write; the lease is held once that commits)
// and calls `on_row` with the `returning` columns of each claimed row, in no particular order.
// Returns the statement's error, if any.
Status Claim(Tx& tx, Dialect dialect, const ClaimSpec& spec, const ClaimRequest& request,
             const std::function<void(const Row&)>& on_row);

}  // namespace causeway::store
