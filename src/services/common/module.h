// A service module: everything one API brings to the house, behind one object, so that adding
// a service is adding a folder under services/ and one line in app/modules.cpp.
//
// Life cycle (app/serve.cpp): Configure (its sections of causeway.toml, or the demo) →
// Migrations are applied → AddMessageKinds → Start, in the order of app/modules.cpp (the outbox
// first, so that later modules find ModuleContext::outbox) → Endpoints are mounted → the server
// runs → Stop, newest first (after the last request drained). Scenarios and demo users are
// asked for before the user directory is built.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/clock.h"
#include "core/result.h"
#include "exchange/message_kind.h"
#include "http/authority.h"
#include "http/endpoint.h"
#include "security/user_directory.h"
#include "store/database.h"
#include "store/migration.h"

namespace causeway::exchange {
class Outbox;
}

namespace causeway::services {

// A demo user a module wants in the embedded demo (printed with its password at start).
struct DemoUser {
  security::UserConfig user;
  std::string password;
  std::string role;
};

// What the house gives a module when it starts. References outlive the module.
struct ModuleContext {
  store::Database& db;
  const core::Clock& clock;
  security::UserDirectory& users;
  bool demo = false;
  std::filesystem::path data_dir;
  // This node among those sharing the store ([server] node_id or <data_dir>/node.id): the lease
  // owner a module uses unless its own section names another.
  std::string node_id = "local";
  http::PublicHost public_host;  // [scheme://]host[:port] for absolute URLs; empty: the Host header
  std::string version;
  std::filesystem::path config_dir;  // relative file names in the configuration resolve here
  // Every module's outbound message kinds (AddMessageKinds), before any module starts.
  exchange::KindRegistry message_kinds;
  // The durable outbox, once the outbox module started (it is listed first); null without it.
  exchange::Outbox* outbox = nullptr;
};

class Module {
 public:
  virtual ~Module() = default;

  // Short name: its control routes live under /_causeway/<name>, its metrics are prefixed.
  virtual std::string_view Name() const = 0;
  // Reads its own sections of causeway.toml (`root`; empty in the demo, with `demo` set). Errors
  // name the key.
  virtual core::Status Configure(const toml::table& root, bool demo) = 0;
  // The top-level tables of causeway.toml it reads: a table no module and not the house reads
  // is refused at start (a misspelt section would otherwise be ignored without a word).
  virtual std::vector<std::string> ConfigSections() const { return {}; }
  // Communication scenarios this module grants (scenario id → services).
  virtual security::ScenarioCatalog Scenarios() const { return {}; }
  virtual std::vector<DemoUser> DemoUsers() const { return {}; }
  // The outbound message kinds it enqueues (exchange/message_kind.h), added before any module
  // starts so that the outbox knows them when it opens.
  virtual void AddMessageKinds(exchange::KindRegistry& kinds) const { (void)kinds; }
  // Its forward-only store migrations (applied before Start, also by `causeway store migrate`).
  virtual std::vector<store::Migration> Migrations() const { return {}; }
  // Builds the domain objects and starts its workers.
  virtual core::Status Start(ModuleContext& ctx) = 0;
  // Called once every module has started (in module order): what must wait for the others,
  // e.g. the outbox delivers only once every module applied its destinations and kinds' state.
  virtual core::Status AllStarted(ModuleContext& ctx) {
    (void)ctx;
    return core::Status::Ok();
  }
  // Service endpoints and its own control routes; called once, after Start.
  virtual std::vector<http::Endpoint> Endpoints() = 0;
  // Paths of its service roots, printed with the listeners' URLs at start.
  virtual std::vector<std::string> ServiceRoots() const { return {}; }
  // Prometheus text appended to /_causeway/metrics.
  virtual std::string MetricsText() const { return {}; }
  // Called about once a second, from one thread, while the server runs on a store other nodes
  // share: makes current what another node changed at run time and this module keeps in memory
  // (customizing, outbox destinations derived from master data). Errors are the module's to log.
  virtual void Refresh() {}
  // Stops workers; called after the server stopped.
  virtual void Stop() {}
};

}  // namespace causeway::services
