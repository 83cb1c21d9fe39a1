#include "app/serve.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/config.h"
#include "app/jobs_wiring.h"
#include "app/odata_mount.h"
#include "app/self_signed.h"
#include "core/log.h"
#include "core/random.h"
#include "http/access_log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "security/gateway_guard.h"
#include "services/control/control_endpoints.h"
#include "services/task_activity/mount.h"
#include "store/migration.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::app {
namespace {

constexpr char kVersion[] = "0.1.0";

// The session/CSRF secret: from the config, else generated once and kept beside the data.
core::Result<std::string> SessionSecret(const Config& c) {
  if (!c.session_secret.empty()) return c.session_secret;
  auto file = c.data_dir / "session.secret";
  if (std::ifstream in(file); in) {
    std::string s;
    std::getline(in, s);
    if (s.size() >= 32) return s;
  }
  std::string s = core::RandomHexUpper(32);
  {
    std::ofstream out(file, std::ios::trunc);
    if (!out) return core::MakeError(core::Code::kInternal, "CAUSEWAY/APP", "001", "cannot write " + file.string());
    out << s << "\n";
  }
  ::chmod(file.c_str(), 0600);
  return s;
}

void PrintBanner(const Config& c, const http::Server& server, bool demo) {
  std::printf("Causeway %s is serving%s\n", kVersion, demo ? " the embedded demo" : "");
  std::printf("  store   SQLite at %s\n", (c.data_dir / "causeway.db").c_str());
  for (size_t i = 0; i < c.server.listeners.size(); ++i) {
    const auto& l = c.server.listeners[i];
    std::string base = std::string(l.tls ? "https://" : "http://") + l.address + ":" + std::to_string(server.ports()[i]);
    std::printf("  %-7s %s/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002/\n", l.tls ? "HTTPS" : "HTTP", base.c_str());
    if (i == 0) std::printf("  health  %s/_causeway/health\n", base.c_str());
  }
  if (!c.demo_users.empty()) {
    std::printf("  users (demo credentials):\n");
    for (const auto& u : c.demo_users) std::printf("    %-15s %-10s %s\n", u.name.c_str(), u.password.c_str(), u.role.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int RunServe(const ServeOptions& options) {
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
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    std::fprintf(stderr, "causeway: cannot create %s: %s\n", config.data_dir.c_str(), ec.message().c_str());
    return 1;
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
  auto secret = SessionSecret(config);
  if (!secret.ok()) {
    std::fprintf(stderr, "causeway: %s\n", secret.error().text.c_str());
    return 1;
  }

  auto db_or = store::sqlite::SqliteDatabase::Open({.path = (config.data_dir / "causeway.db").string()});
  if (!db_or.ok()) {
    std::fprintf(stderr, "causeway: %s\n", db_or.error().text.c_str());
    return 1;
  }
  std::unique_ptr<store::sqlite::SqliteDatabase> db = std::move(db_or).value();
  if (auto st = store::Migrate(*db, security::UserDirectory::Migrations()); !st.ok()) {
    std::fprintf(stderr, "causeway: migration failed: %s\n", st.error().text.c_str());
    return 1;
  }

  core::SystemClock clock;
  security::UserDirectory users(config.users, config.scenarios, config.max_failed_logons);
  if (auto st = users.AttachStore(db.get()); !st.ok()) {
    std::fprintf(stderr, "causeway: %s\n", st.error().text.c_str());
    return 1;
  }
  security::SessionCodec sessions(*secret, config.sessions, clock);
  security::GatewayGuard guard(users, sessions, clock, {.system_id = config.system_id});
  http::Router router(&guard, config.default_client);
  http::Metrics metrics;

  auto jobs = WireJobs(*db, clock, users, config, router);
  if (!jobs.ok()) {
    std::fprintf(stderr, "causeway: %s\n", jobs.error().text.c_str());
    return 1;
  }

  services::task_activity::Options task_activity_options = config.task_activity;
  task_activity_options.system_id = config.system_id;
  task_activity_options.public_host = config.public_host;
  auto task_activity = services::task_activity::Mount(router, &guard, *db, clock, task_activity_options);
  if (!task_activity.ok()) {
    std::fprintf(stderr, "causeway: %s\n", task_activity.error().text.c_str());
    return 1;
  }

  http::Server* server_ptr = nullptr;
  services::control::ControlDeps control{.version = kVersion,
                                         .db = db.get(),
                                         .metrics = &metrics,
                                         .server_stats = [&]() -> const http::ServerStats* {
                                           return server_ptr ? &server_ptr->stats() : nullptr;
                                         },
                                         .users = &users,
                                         .guard = &guard,
                                         .extra_metrics = [&] { return (*jobs)->MetricsText(); },
                                         .jobs = &(*jobs)->engine(),
                                         .allow_command_templates = config.runtime_command_templates};
  services::control::RegisterControlEndpoints(router, control);

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
    return 1;
  }
  PrintBanner(config, server, demo);
  if (!options.ready_file.empty()) {
    std::ofstream ready(options.ready_file + ".tmp", std::ios::trunc);
    for (auto p : server.ports()) ready << p << " ";
    ready << "\n";
    ready.close();
    std::filesystem::rename(options.ready_file + ".tmp", options.ready_file, ec);
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
  jobs->reset();
  spdlog::info("stopped");
  spdlog::default_logger()->flush();
  return 0;
}

}  // namespace causeway::app
