// causeway: the server (`serve`), the scheduler client (`job …`) and admin commands in one
// binary. Only wiring here; every behaviour lives in a layer library.
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <string>

#include "app/serve.h"
#include "app/store_commands.h"
#include "app/user_commands.h"
#include "services/outbox/outbox_commands.h"
#include "client/job_commands.h"
#include "services/ext_integration/fb_commands.h"
#include "services/business_agreement/message_commands.h"
#include "services/task_activity/task_commands.h"

namespace {

// Parses the command line and runs every command but `serve`, whose options it hands back:
// the server runs after the parser is gone (its ~200 KiB of CLI11 objects would stay
// resident for the server's lifetime).
int ParseAndRunCommand(int argc, char** argv, std::optional<causeway::app::ServeOptions>* serve_out) {
  CLI::App app{"Causeway: SAP-style integration APIs (job scheduling, ...)", "causeway"};
  app.require_subcommand(1);

  causeway::app::ServeOptions serve;
  int port = -2, tls_port = -2;
  std::string data_dir, access_log;
  auto* serve_cmd = app.add_subcommand("serve", "Run the server (the embedded demo without --config)");
  serve_cmd->add_option("-c,--config", serve.config_file, "causeway.toml");
  serve_cmd->add_option("--data", data_dir, "data directory (overrides the config)");
  serve_cmd->add_option("--port", port, "port of the first listener (0 = any free port)");
  serve_cmd->add_option("--tls-port", tls_port, "port of the first TLS listener (0 = any, -1 = none)");
  serve_cmd->add_option("--ready-file", serve.ready_file, "write the bound ports here once serving");
  serve_cmd->add_option("--access-log", access_log, "access log file ('-' stderr, '' off)");

  auto users = causeway::app::AddUserCommands(app);
  auto stores = causeway::app::AddStoreCommands(app);
  auto outbox = causeway::services::outbox::AddOutboxCommands(app);
  auto job = causeway::client::AddJobCommand(app);
  auto tasks = causeway::services::task_activity::AddTaskCommands(app);
  auto fb = causeway::services::ext_integration::AddFbCommands(app);
  auto messages = causeway::services::business_agreement::AddMessageCommands(app);
  app.add_subcommand("version", "Print the version")->callback([] { std::cout << "causeway 0.1.0\n"; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return causeway::client::ParseErrorExit(app, e);
  }
  if (serve_cmd->parsed()) {
    if (!data_dir.empty()) serve.data_dir = data_dir;
    if (port != -2) serve.port = port;
    if (tls_port != -2) serve.tls_port = tls_port;
    if (serve_cmd->count("--access-log")) serve.access_log = access_log;
    *serve_out = std::move(serve);
    return 0;
  }
  if (job->Selected()) return job->Run();
  if (users->Selected()) return users->Run();
  if (stores->Selected()) return stores->Run();
  if (outbox->Selected()) return outbox->Run();
  if (tasks->Selected()) return tasks->Run();
  if (fb->Selected()) return fb->Run();
  if (messages->Selected()) return messages->Run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<causeway::app::ServeOptions> serve;
  const int rc = ParseAndRunCommand(argc, argv, &serve);
  return serve ? causeway::app::RunServe(*serve) : rc;
}
