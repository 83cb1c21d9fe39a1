// The operation log: every outgoing operation (addressed to one external system, in order per
// record by `rseq`, with the time stamp a poll filters on) and every incoming operation as it
// was applied or refused. Rows are written in the transaction of the change they belong to.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace causeway::changes {

struct OutgoingRecord {
  std::string tenant, change_id;
  int64_t rseq = 0;  // 1, 2, … per record
  std::string system_id;
  std::string operation;  // Assign, Accept, Cancel, Update
  int64_t time_ms = 0;    // kept across restarts; non-decreasing per record
  std::string cause;
  bool pushed = false;  // also enqueued in the outbox (the system has a URL)
};

struct IncomingRecord {
  int64_t id = 0;  // assigned by the store
  std::string tenant, change_id, system_id, operation, external_id, caller;
  int64_t time_ms = 0;
  int http_status = 200;  // 200 applied; the refusal's status otherwise
  std::string message;    // the refusal's text; "" when applied
};

struct OperationLog {
  std::vector<OutgoingRecord> outgoing;  // by rseq
  std::vector<IncomingRecord> incoming;  // by arrival
};

namespace oplog {
core::Status InsertOutgoing(store::Tx& tx, const OutgoingRecord& r);
core::Status InsertIncoming(store::Tx& tx, const IncomingRecord& r);
core::Result<OperationLog> ForChange(store::Tx& tx, std::string_view tenant, std::string_view change_id);
}  // namespace oplog

}  // namespace causeway::changes
