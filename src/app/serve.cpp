#include "app/serve.h"

#include <malloc.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <thread>

#include "app/config.h"
#include "app/file_limit.h"
#include "app/modules.h"
#include "app/self_signed.h"
#include "app/store_config.h"
#include "core/log.h"
#include "core/random.h"
#include "http/access_log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "security/gateway_guard.h"
#include "security/security_migrations.h"
#include "services/common/odata_endpoint.h"
#include "services/control/control_module.h"
#include "store/migration.h"
#include "store/shared_setting.h"

namespace causeway::app {
namespace {

constexpr char kVersion[] = "0.1.0";

// A value kept in one line of `file`: read when the file holds one of at least `min_size`
// characters, else `generate`d and written (mode 0600).
core::Result<std::string> KeptLine(const std::filesystem::path& file, size_t min_size,
                                   const std::function<std::string()>& generate) {
  if (std::ifstream in(file); in) {
    std::string s;
    std::getline(in, s);
    if (!s.empty() && s.size() >= min_size) return s;
  }
  std::string s = generate();
  {
    std::ofstream out(file, std::ios::trunc);
    if (!out) return core::MakeError(core::Code::kInternal, "CAUSEWAY/APP", "001", "cannot write " + file.string());
    out << s << "\n";
  }
  ::chmod(file.c_str(), 0600);
  return s;
}

// The session/CSRF secret: from the config, else generated once and kept beside the data.
core::Result<std::string> SessionSecret(const Config& c) {
  if (!c.session_secret.empty()) return c.session_secret;
  return KeptLine(c.data_dir / "session.secret", 32, [] { return core::RandomHexUpper(32); });
}

// This node's id: from the config, else generated once and kept beside the data (a restart
// keeps it, so the node recognizes the leases its previous process left).
core::Result<std::string> NodeId(const Config& c) {
  if (!c.node_id.empty()) return c.node_id;
  return KeptLine(c.data_dir / "node.id", 1, [] { return "node-" + core::RandomHexUpper(8); });
}

using Modules = std::vector<std::unique_ptr<services::Module>>;

void PrintBanner(const Config& c, const http::Server& server, bool demo, const Modules& modules) {
  std::printf("Causeway %s is serving%s\n", kVersion, demo ? " the embedded demo" : "");
  if (c.store.backend == "postgres") std::printf("  store   PostgreSQL (several nodes may share it)\n");
  else std::printf("  store   SQLite at %s\n", (c.data_dir / "causeway.db").c_str());
  for (size_t i = 0; i < c.server.listeners.size(); ++i) {
    const auto& l = c.server.listeners[i];
    std::string base = std::string(l.tls ? "https://" : "http://") + l.address + ":" + std::to_string(server.ports()[i]);
    for (const auto& m : modules)
      for (const auto& root : m->ServiceRoots()) std::printf("  %-7s %s%s\n", l.tls ? "HTTPS" : "HTTP", base.c_str(), root.c_str());
    if (i == 0) std::printf("  health  %s/_causeway/health\n", base.c_str());
  }
  if (!c.demo_users.empty()) {
    std::printf("  users (demo credentials):\n");
    for (const auto& u : c.demo_users) std::printf("    %-15s %-10s %s\n", u.name.c_str(), u.password.c_str(), u.role.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

// Memory policy of the process. glibc raises its mmap threshold after each large free, so
// request bodies of several MB end up in the worker threads' arenas and stay there; a fixed
// threshold keeps every large buffer in its own mapping, returned when freed. A higher trim
// threshold spares the store's writer thread a madvise after every savepoint.
void SetMemoryPolicy() {
#ifdef __GLIBC__
  ::mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  ::mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
#endif
}

int RunServe(const ServeOptions& options) {
  SetMemoryPolicy();
  // Signals are taken by a dedicated thread (sigwait); block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  bool demo = options.config_file.empty();
  Config config;
  if (demo) {
    config = DemoConfig();
  } else {
    auto loaded = LoadConfig(options.config_file);
    if (!loaded.ok()) {
      std::fprintf(stderr, "causeway: %s\n", loaded.error().text.c_str());
      return 2;
    }
    config = std::move(loaded).value();
  }
  if (options.data_dir) config.data_dir = *options.data_dir;
  if (options.port && !config.server.listeners.empty()) config.server.listeners[0].port = static_cast<uint16_t>(*options.port);
  if (options.tls_port) {
    auto it = std::find_if(config.server.listeners.begin(), config.server.listeners.end(), [](auto& l) { return l.tls.has_value(); });
    if (it != config.server.listeners.end()) {
      if (*options.tls_port < 0) config.server.listeners.erase(it);
      else it->port = static_cast<uint16_t>(*options.tls_port);
    }
  }
  if (options.access_log) config.access_log = *options.access_log;
  core::InitLogging(config.log_level);

  std::error_code ec;
  // The data directory holds the database (outbound credentials), the session secret and the TLS
  // key: one the server creates is its owner's only, as PostgreSQL's is.
  if (std::filesystem::create_directories(config.data_dir, ec) && !ec)
    std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all, ec);
  if (ec) {
    std::fprintf(stderr, "causeway: cannot create %s: %s\n", config.data_dir.c_str(), ec.message().c_str());
    return 1;
  }
  if (auto st = std::filesystem::status(config.data_dir / "causeway.db", ec);
      !ec && (st.permissions() & (std::filesystem::perms::group_read | std::filesystem::perms::others_read)) !=
                 std::filesystem::perms::none)
    spdlog::warn("{} can be read by other users, and it holds outbound credentials: chmod 600 it (and its -wal, -shm)",
                 (config.data_dir / "causeway.db").string());
  {
    const uint64_t files = RaiseFileLimit();
    const size_t fitting = ConnectionsWithinFileLimit(config.server.max_connections, files);
    if (fitting < config.server.max_connections) {
      spdlog::warn(
          "max_connections lowered from {} to {}: the process may open {} files (raise the hard limit, "
          "e.g. LimitNOFILE= of its systemd unit, for more)",
          config.server.max_connections, fitting, files);
      config.server.max_connections = fitting;
    }
  }
  for (auto& l : config.server.listeners) {
    if (l.tls && (l.tls->cert_file.empty() || l.tls->key_file.empty())) {
      l.tls->cert_file = (config.data_dir / "tls" / "cert.pem").string();
      l.tls->key_file = (config.data_dir / "tls" / "key.pem").string();
      if (auto st = EnsureSelfSignedCertificate(l.tls->cert_file, l.tls->key_file); !st.ok()) {
        std::fprintf(stderr, "causeway: %s\n", st.error().text.c_str());
        return 1;
      }
    }
  }
  const bool shared_store = config.store.backend == "postgres";
  // (With a shared store and none configured, the secret comes from the store below.)
  core::Result<std::string> secret = shared_store && config.session_secret.empty()
                                         ? core::Result<std::string>(std::string())
                                         : SessionSecret(config);
  if (!secret.ok()) {
    std::fprintf(stderr, "causeway: %s\n", secret.error().text.c_str());
    return 1;
  }

  // Modules: each reads its own sections; their scenarios, demo users and migrations come
  // before the users and the store are set up.
  http::Metrics metrics;
  http::Server* server_ptr = nullptr;
  Modules modules = ServiceModules();
  services::control::ControlDeps control{.version = kVersion,
                                         .metrics = &metrics,
                                         .server_stats = [&]() -> const http::ServerStats* {
                                           return server_ptr ? &server_ptr->stats() : nullptr;
                                         }};
  modules.push_back(services::control::MakeControlModule(control));
  {
    std::vector<std::string> sections;
    for (const auto& m : modules)
      for (auto& s : m->ConfigSections()) sections.push_back(std::move(s));
    if (auto st = CheckSections(config.root, sections); !st.ok()) {
      std::fprintf(stderr, "causeway: %s\n", st.error().text.c_str());
      return 2;
    }
  }
  security::ScenarioCatalog scenarios;
  std::vector<security::UserConfig> users_config = config.users;
  for (auto& m : modules) {
    if (auto st = m->Configure(config.root, demo); !st.ok()) {
      std::fprintf(stderr, "causeway: %s\n", st.error().text.c_str());
      return 2;
    }
    for (auto& [id, services] : m->Scenarios()) scenarios[id] = services;
    if (demo) {
      for (auto& d : m->DemoUsers()) {
        config.demo_users.push_back({d.user.name, d.password, d.role});
        users_config.push_back(std::move(d.user));
      }
    }
  }
  for (const auto& [id, services] : config.scenarios) scenarios[id] = services;
  // A mistyped arrangement would leave the user with no service and every call a 403.
  for (const auto& u : users_config)
    for (const auto& id : u.scenarios)
      if (!scenarios.contains(id)) {
        std::string known;
        for (const auto& [k, v] : scenarios) known += (known.empty() ? "" : ", ") + k;
        std::fprintf(stderr, "causeway: user %s: unknown scenario %s (known: %s)\n", u.name.c_str(), id.c_str(),
                     known.c_str());
        return 2;
      }

  auto db_or = OpenStore(config.store, config.data_dir);
  if (!db_or.ok()) {
    std::fprintf(stderr, "causeway: %s\n", db_or.error().text.c_str());
    return 1;
  }
  std::unique_ptr<store::Database> db = std::move(db_or).value();
  std::vector<store::Migration> migrations = security::UserDirectory::Migrations();
  for (const auto& m : modules)
    for (auto& mig : m->Migrations()) migrations.push_back(std::move(mig));
  if (auto st = store::Migrate(*db, migrations); !st.ok()) {
    std::fprintf(stderr, "causeway: migration failed: %s\n", st.error().text.c_str());
    return 1;
  }
  // Several nodes on one database verify each other's sessions and tokens: the secret is
  // part of the shared state then, not a per-node file.
  if (shared_store && config.session_secret.empty()) {
    auto shared =
        store::SharedSetting(*db, security::kSettingsTable, "session_secret", [] { return core::RandomHexUpper(32); });
    if (!shared.ok()) {
      std::fprintf(stderr, "causeway: %s\n", shared.error().text.c_str());
      return 1;
    }
    secret = std::move(shared).value();
  }

  core::SystemClock clock;
  security::UserDirectory users(std::move(users_config), std::move(scenarios), config.max_failed_logons);
  if (auto st = users.AttachStore(db.get()); !st.ok()) {
    std::fprintf(stderr, "causeway: %s\n", st.error().text.c_str());
    return 1;
  }
  security::SessionCodec sessions(*secret, config.sessions, clock);
  security::GatewayGuard guard(users, sessions, clock,
                               {.system_id = config.system_id, .clients = config.clients,
                                .default_client = config.default_client});
  control.guard = &guard;
  http::Router router(&guard, config.default_client, config.clients);

  auto node_id = NodeId(config);
  if (!node_id.ok()) {
    std::fprintf(stderr, "causeway: %s\n", node_id.error().text.c_str());
    return 1;
  }
  services::ModuleContext context{.db = *db,
                                  .clock = clock,
                                  .users = users,
                                  .demo = demo,
                                  .data_dir = config.data_dir,
                                  .node_id = *node_id,
                                  .public_host = config.public_host,
                                  .version = kVersion,
                                  .config_dir = config.config_dir};
  for (const auto& m : modules) m->AddMessageKinds(context.message_kinds);
  size_t started = 0;
  // Stops what started, newest first (also on a failed start).
  auto stop_modules = [&] {
    for (size_t i = started; i-- > 0;) modules[i]->Stop();
  };
  for (auto& m : modules) {
    if (auto st = m->Start(context); !st.ok()) {
      std::fprintf(stderr, "causeway: %s: %s\n", std::string(m->Name()).c_str(), st.error().text.c_str());
      stop_modules();
      return 1;
    }
    ++started;
  }
  for (auto& m : modules) {
    if (auto st = m->AllStarted(context); !st.ok()) {
      std::fprintf(stderr, "causeway: %s: %s\n", std::string(m->Name()).c_str(), st.error().text.c_str());
      stop_modules();
      return 1;
    }
  }
  control.module_metrics = [&] {
    std::string text;
    for (const auto& m : modules) text += m->MetricsText();
    return text;
  };
  router.Add(services::UnknownODataServiceEndpoint(clock));
  for (auto& m : modules)
    for (auto& e : m->Endpoints()) router.Add(std::move(e));

  std::string access_path = config.access_log;
  if (!access_path.empty() && access_path != "-" && std::filesystem::path(access_path).is_relative())
    access_path = (config.data_dir / access_path).string();
  http::AccessLog access_log(access_path);
  http::Server server(config.server, router, [&](const http::RequestRecord& r) {
    metrics.Record(r.label, r.status, r.duration);
    access_log.Write(r);
  });
  server_ptr = &server;
  if (auto st = server.Start(); !st.ok()) {
    std::fprintf(stderr, "causeway: %s\n", st.error().text.c_str());
    stop_modules();
    return 1;
  }
  PrintBanner(config, server, demo, modules);
  if (!options.ready_file.empty()) {
    std::ofstream ready(options.ready_file + ".tmp", std::ios::trunc);
    for (auto p : server.ports()) ready << p << " ";
    ready << "\n";
    ready.close();
    std::filesystem::rename(options.ready_file + ".tmp", options.ready_file, ec);
  }

  // Nodes sharing the store see each other's failed logons, locks and unlocks, and the run-time
  // changes modules keep in memory, within a second.
  core::Alarm refresh_alarm(clock);
  std::thread refresh_thread;
  if (shared_store) {
    refresh_thread = std::thread([&] {
      for (;;) {
        if (!refresh_alarm.WaitUntil(clock.Now() + std::chrono::seconds(1), refresh_alarm.Arm())) return;
        if (users.Refresh().ok()) guard.ClearCredentialCache();
        for (auto& m : modules) m->Refresh();
      }
    });
  }

  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("signal {} received: finishing in-flight requests", sig);
    server.Stop();
  });
  server.Run();
  // Run() returned without a signal only if Stop() came from elsewhere; wake the waiter.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  refresh_alarm.Stop();
  if (refresh_thread.joinable()) refresh_thread.join();
  stop_modules();
  spdlog::info("stopped");
  spdlog::default_logger()->flush();
  return 0;
}

}  // namespace causeway::app
