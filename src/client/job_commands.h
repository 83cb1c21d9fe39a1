// The `causeway job …` command tree. Wiring into a CLI11 main:
//
//   CLI::App app{"causeway"};
//   auto job = causeway::client::AddJobCommand(app);
//   try { app.parse(argc, argv); }
//   catch (const CLI::ParseError& e) { return causeway::client::ParseErrorExit(app, e); }
//   if (job->Selected()) return job->Run();
//
// Run() returns an ExitCode value (client/exit_codes.h) as int.
#pragma once

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "client/connection_config.h"

namespace causeway::client {

struct JobCliIo {
  std::ostream* out = &std::cout;  // results (key=value lines, tables, --json)
  std::ostream* err = &std::cerr;  // progress, warnings, errors
  EnvLookup env = &ProcessEnv;
  std::optional<bool> interactive;  // progress style; default isatty(stderr)
  std::chrono::milliseconds retry_delay{500};  // first GET retry delay (tests shorten it)
};

class JobCommand {
 public:
  virtual ~JobCommand() = default;
  // True when `job` (with one of its subcommands) was on the parsed command line.
  virtual bool Selected() const = 0;
  // Executes the parsed command; returns the process exit code.
  virtual int Run() = 0;
};

// Registers `job` and its subcommands on `app`. The returned object owns the option storage and
// must outlive app.parse().
std::shared_ptr<JobCommand> AddJobCommand(CLI::App& app, JobCliIo io = {});

// Prints a CLI11 parse error or help the CLI11 way and returns 0 for --help, 2 (usage) otherwise.
int ParseErrorExit(CLI::App& app, const CLI::ParseError& error, std::ostream& out = std::cout,
                   std::ostream& err = std::cerr);

// A complete `causeway-job` style main: args[0] is the program name, args[1] is "job" or a job
// subcommand ("run", "status", …; "job" is then implied). Used by causeway-job and the tests.
int RunJobCli(std::vector<std::string> args, JobCliIo io = {});

}  // namespace causeway::client
