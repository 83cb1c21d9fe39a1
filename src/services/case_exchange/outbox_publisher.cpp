#include "services/case_exchange/outbox_publisher.h"

#include <spdlog/spdlog.h>

#include "core/ascii.h"
#include "services/case_exchange/entity_writer.h"

namespace causeway::services::case_exchange {

std::string DestinationName(std::string_view tenant, std::string_view system) {
  std::string name = "cx." + std::string(tenant) + "." + std::string(system);
  for (char& c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
      c = '_';
  return name.substr(0, 64);
}

void AddCaseExchangeKinds(exchange::KindRegistry& kinds) {
  auto kind = exchange::MakeKind({.build = [](const exchange::OutgoingMessage& m) -> core::Result<exchange::OutboundRequest> {
    exchange::OutboundRequest r;
    r.method = "POST";
    r.headers.Set("Content-Type", "application/json");
    r.body = std::string(m.payload);
    return r;
  }});
  for (const char* name : {"cx.assign", "cx.accept", "cx.cancel", "cx.update"}) kinds[name] = kind;
}

bool OutboxPublisher::Pushes(const changes::Tenant& tenant, const changes::ExternalSystem& system) const {
  if (!outbox_ || system.url.empty()) return false;
  exchange::Destination d;
  d.name = DestinationName(tenant.id, system.id);
  d.base_url = system.url;
  d.user = system.push_user;
  d.password = exchange::Secret(system.push_password);
  std::lock_guard lock(mu_);
  auto it = known_.find(d.name);
  if (it != known_.end() && it->second == d) return true;
  if (core::Status st = outbox_->SetDestination(d); !st.ok()) {
    spdlog::warn("case exchange: system {} of tenant {} is not pushed to: {}", system.id, tenant.id, st.error().text);
    return false;
  }
  known_[d.name] = std::move(d);
  return true;
}

core::Status OutboxPublisher::Stage(store::UnitOfWork& unit, const changes::Tenant& tenant,
                                    const changes::OutgoingRecord& operation, const changes::ChangeState& state) {
  if (!outbox_) return core::Status::Ok();
  auto dir = desk_.directory();
  changes::PolledOperation p{operation, std::shared_ptr<const changes::ChangeState>(&state, [](const auto*) {})};
  std::string body = R"({"entities":[)";
  AppendCaseExchangeEntity(body, p, tenant, dir->workflows, Layout());
  body += "]}";
  exchange::Message m;
  m.destination = DestinationName(tenant.id, operation.system_id);
  m.kind = "cx." + core::ToLower(operation.operation);
  m.ordering_key = tenant.id + "/" + operation.change_id;
  m.object_key = m.ordering_key;
  m.payload = std::move(body);
  m.idempotency_key = "cx-" + tenant.id + "-" + operation.change_id + "-" + std::to_string(operation.rseq);
  CW_ASSIGN_OR_RETURN(exchange::MessageId id, outbox_->Enqueue(unit, std::move(m)));
  (void)id;
  return core::Status::Ok();
}

}  // namespace causeway::services::case_exchange
