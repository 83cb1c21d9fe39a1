#include "domain/changes/operation_log.h"

namespace causeway::changes::oplog {

using store::Value;

core::Status InsertOutgoing(store::Tx& tx, const OutgoingRecord& r) {
  return tx.Exec(
      "INSERT INTO cx_outgoing (tenant, change_id, rseq, system_id, operation, time_ms, cause, pushed) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {Value(r.tenant), Value(r.change_id), Value(r.rseq), Value(r.system_id), Value(r.operation), Value(r.time_ms),
       Value(r.cause), Value(int64_t{r.pushed ? 1 : 0})});
}

core::Status InsertIncoming(store::Tx& tx, const IncomingRecord& r) {
  return tx.Exec(
      "INSERT INTO cx_incoming (tenant, change_id, system_id, operation, external_id, caller, time_ms, http_status, "
      "message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {Value(r.tenant), Value(r.change_id), Value(r.system_id), Value(r.operation), Value(r.external_id),
       Value(r.caller), Value(r.time_ms), Value(int64_t{r.http_status}), Value(r.message)});
}

core::Result<OperationLog> ForChange(store::Tx& tx, std::string_view tenant, std::string_view change_id) {
  OperationLog log;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT rseq, system_id, operation, time_ms, cause, pushed FROM cx_outgoing WHERE tenant = ? AND change_id = ? "
      "ORDER BY rseq",
      {Value(std::string(tenant)), Value(std::string(change_id))}, [&](const store::Row& r) {
        log.outgoing.push_back({std::string(tenant), std::string(change_id), r.Int(0), r.String(1), r.String(2), r.Int(3),
                                r.String(4), r.Int(5) != 0});
      }));
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT id, system_id, operation, external_id, caller, time_ms, http_status, message FROM cx_incoming "
      "WHERE tenant = ? AND change_id = ? ORDER BY id",
      {Value(std::string(tenant)), Value(std::string(change_id))}, [&](const store::Row& r) {
        log.incoming.push_back({r.Int(0), std::string(tenant), std::string(change_id), r.String(1), r.String(2),
                                r.String(3), r.String(4), r.Int(5), static_cast<int>(r.Int(6)), r.String(7)});
      }));
  return log;
}

}  // namespace causeway::changes::oplog
