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

}  // namespace

std::string ClaimSql(Dialect dialect, const ClaimSpec& spec, int64_t limit) {
  const std::string keys = Join(spec.key_columns);
  // Row values "(a, b) IN (SELECT a, b …)" work on both; a single key needs no parentheses.
  const std::string key_tuple = spec.key_columns.size() == 1 ? keys : "(" + keys + ")";
  std::string sql = "UPDATE " + spec.table + " SET " + spec.owner_column + " = ?, " + spec.expires_column +
                    " = ? WHERE " + key_tuple + " IN (SELECT " + keys + " FROM " + spec.table + " WHERE ";
  if (!spec.ready.empty()) sql += "(" + spec.ready + ") AND ";
  sql += "(" + spec.owner_column + " IS NULL OR " + spec.expires_column + " <= ?)";
  if (!spec.order_by.empty()) sql += " ORDER BY " + spec.order_by;
  sql += " LIMIT " + std::to_string(std::max<int64_t>(limit, 1));
  // Rows another claimer holds are skipped rather than waited for: each claimer gets other rows.
  if (dialect == Dialect::kPostgres) sql += " FOR UPDATE SKIP LOCKED";
  sql += ") RETURNING " + Join(spec.returning);
  return sql;
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
