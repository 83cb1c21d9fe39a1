#include "store/claim.h"

#include <algorithm>

namespace causeway::store {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

// SELECT `columns` of the ready rows whose lease is free, in order, locked where that matters.
std::string SelectReady(Dialect dialect, const ClaimSpec& spec, const std::string& columns, int64_t limit) {
  std::string sql = "SELECT " + columns + " FROM " + spec.table + " WHERE ";
  if (!spec.ready.empty()) sql += "(" + spec.ready + ") AND ";
  sql += "(" + spec.owner_column + " IS NULL OR " + spec.expires_column + " <= ?)";
  if (!spec.order_by.empty()) sql += " ORDER BY " + spec.order_by;
  sql += " LIMIT " + std::to_string(std::max<int64_t>(limit, 1));
  // Rows another claimer holds are skipped rather than waited for: each claimer gets other rows.
  if (dialect == Dialect::kPostgres) sql += " FOR UPDATE SKIP LOCKED";
  return sql;
}

}  // namespace

std::string ClaimSql(Dialect dialect, const ClaimSpec& spec, int64_t limit) {
  const std::string keys = Join(spec.key_columns);
  // Row values "(a, b) IN (SELECT a, b …)" work on both; a single key needs no parentheses.
  const std::string key_tuple = spec.key_columns.size() == 1 ? keys : "(" + keys + ")";
  return "UPDATE " + spec.table + " SET " + spec.owner_column + " = ?, " + spec.expires_column + " = ? WHERE " +
         key_tuple + " IN (" + SelectReady(dialect, spec, keys, limit) + ") RETURNING " + Join(spec.returning);
}

std::string LockReadySql(Dialect dialect, const ClaimSpec& spec, int64_t limit) {
  return SelectReady(dialect, spec, Join(spec.returning), limit);
}

Status LockReady(Tx& tx, Dialect dialect, const ClaimSpec& spec, const ClaimRequest& request,
                 const std::function<void(const Row&)>& on_row) {
  std::vector<Value> params = request.ready_params;
  params.emplace_back(request.now_ms);
  return tx.Query(LockReadySql(dialect, spec, request.limit), params, on_row);
}

Status Claim(Tx& tx, Dialect dialect, const ClaimSpec& spec, const ClaimRequest& request,
             const std::function<void(const Row&)>& on_row) {
  std::vector<Value> params;
  params.reserve(request.ready_params.size() + 3);
  params.emplace_back(request.owner);
  params.emplace_back(request.lease_until_ms);
  params.insert(params.end(), request.ready_params.begin(), request.ready_params.end());
  params.emplace_back(request.now_ms);
  return tx.Query(ClaimSql(dialect, spec, request.limit), params, on_row);
}

}  // namespace causeway::store
