// Pushes outgoing operations to external systems configured with a URL, through the durable
// outbox: one message per operation, enqueued in the unit of work of the change that caused
// it, ordered per record (ordering key "<tenant>/<change id>"), POSTed to the system's URL as
// {"entities":[<the /ces entity of the operation, as of the change>]} with the idempotency key
// "cx-<tenant>-<change id>-<rseq>". The destination of a system is "cx.<tenant>.<system id>"
// when both ids are letters, digits, '_' and '-' and the name fits; otherwise
// "cxh.<readable hint>.<hash of both ids>" (one destination per system, whatever its id), kept
// in step with the master data whenever it changes (on this node or, seen by a reload, on
// another). Message kinds: cx.assign, cx.accept,
// cx.cancel, cx.update.
//
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "domain/changes/change_desk.h"
#include "exchange/message_kind.h"
#include "exchange/outbox.h"

namespace causeway::services::case_exchange {

void AddCaseExchangeKinds(exchange::KindRegistry& kinds);
std::string DestinationName(std::string_view tenant, std::string_view system);
// Whether `system` of `tenant` can be pushed to: its url, user and password as the outbox takes
// a destination (no credentials in the URL, no password without a user, …). Checked where a
// system is set (the file, the control plane), not when it is first pushed to: a system that
// cannot be would otherwise be silently left out.
core::Status CheckPushTarget(std::string_view tenant, const changes::ExternalSystem& system);

class OutboxPublisher final : public changes::OperationPublisher {
 public:
  // `outbox` may be null (no outbox module): then nothing is pushed. `workflows` for the entity
  // JSON is read from the desk's directory at stage time.
  OutboxPublisher(exchange::Outbox* outbox, changes::ChangeDesk& desk) : outbox_(outbox), desk_(desk) {}

  bool Pushes(const changes::Tenant& tenant, const changes::ExternalSystem& system) const override;
  core::Status Stage(store::UnitOfWork& unit, const changes::Tenant& tenant, const changes::OutgoingRecord& operation,
                     const changes::ChangeState& state) override;
  // Every system with a URL becomes (or stays) a destination, with the directory's URL and
  // credentials; Pushes answers from what this set.
  void DirectoryChanged(const changes::Directory& directory) override;

 private:
  exchange::Outbox* outbox_;
  changes::ChangeDesk& desk_;
  mutable std::mutex mu_;
  // The destinations set in the outbox, by name (a system whose destination was refused is not
  // here, so it is not pushed to).
  std::map<std::string, exchange::Destination, std::less<>> known_;  // GUARDED_BY(mu_)
};

}  // namespace causeway::services::case_exchange
