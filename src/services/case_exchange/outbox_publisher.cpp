#include "services/case_exchange/outbox_publisher.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/ascii.h"
#include "core/crypto.h"
#include "domain/changes/change_errors.h"
#include "services/case_exchange/entity_writer.h"

namespace causeway::services::case_exchange {

namespace {

bool IsPlainIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
bool IsPlainId(std::string_view id) { return !id.empty() && std::all_of(id.begin(), id.end(), IsPlainIdChar); }

}  // namespace

// Two systems must never share a destination: it holds one URL and one set of credentials, so a
// shared name sends one system's change records to the other. Ids of letters, digits, '_' and
// '-' keep the readable "cx.<tenant>.<system>" (no '.' inside either id, so the split is
// unambiguous). Any other pair (a '.', a character a destination name cannot hold, or too long)
// is named "cxh.<readable hint>.<SHA-256 of both ids>": the prefix keeps the two forms apart,
// and the hash keeps the pairs apart.
std::string DestinationName(std::string_view tenant, std::string_view system) {
  constexpr size_t kMax = 64;  // exchange::Destination's limit
  std::string plain = "cx." + std::string(tenant) + "." + std::string(system);
  if (IsPlainId(tenant) && IsPlainId(system) && plain.size() <= kMax) return plain;
  std::string digest = core::Sha256Hex(std::string(tenant) + '\0' + std::string(system)).substr(0, 24);
  std::string hint = std::string(tenant) + "." + std::string(system);
  for (char& c : hint)
    if (!IsPlainIdChar(c)) c = '_';
  hint.resize(std::min(hint.size(), kMax - 4 - 1 - digest.size()));  // "cxh." + hint + "." + digest
  return "cxh." + hint + "." + digest;
}

exchange::Destination PushDestination(std::string_view tenant, const changes::ExternalSystem& system) {
  exchange::Destination d;
  d.name = DestinationName(tenant, system.id);
  d.base_url = system.url;
  d.user = system.push_user;
  d.password = exchange::Secret(system.push_password);
  return d;
}

core::Status CheckPushTarget(std::string_view tenant, const changes::ExternalSystem& system) {
  if (system.url.empty()) return core::Status::Ok();  // not pushed to: the system polls /ces
  core::Status st = exchange::ValidateDestination(PushDestination(tenant, system));
  if (st.ok()) return st;
  // The destination's field names are the system's own in the file and the control plane.
  core::Error e = st.error();
  if (e.target == "base_url") e.target = "url";
  std::string text = e.text;
  if (size_t colon = text.find(": "); colon != std::string::npos) text = text.substr(colon + 2);
  return changes::errors::MasterData(e.target, "External system " + system.id + " " + e.target + ": " + text);
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

// The destinations were set when the directory the edit reads was swapped in (DirectoryChanged):
// an edit only looks its system's up.
bool OutboxPublisher::Pushes(const changes::Tenant& tenant, const changes::ExternalSystem& system) const {
  if (!outbox_ || system.url.empty()) return false;
  const std::string name = DestinationName(tenant.id, system.id);
  std::lock_guard lock(mu_);
  return known_.count(name) > 0;
}

void OutboxPublisher::DirectoryChanged(const changes::Directory& directory) {
  if (!outbox_) return;
  std::lock_guard lock(mu_);
  for (const auto& [tenant_id, tenant] : directory.tenants) {
    for (const auto& [system_id, system] : tenant.systems) {
      if (system.url.empty()) continue;
      exchange::Destination d = PushDestination(tenant.id, system);
      auto it = known_.find(d.name);
      if (it != known_.end() && it->second == d) continue;
      if (core::Status st = outbox_->SetDestination(d); !st.ok()) {
        spdlog::warn("case exchange: system {} of tenant {} is not pushed to: {}", system.id, tenant.id,
                     st.error().text);
        known_.erase(d.name);
        continue;
      }
      known_[d.name] = std::move(d);
    }
  }
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
