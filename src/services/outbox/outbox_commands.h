// `causeway outbox …`: the outbox's control routes from the command line (JSON on stdout):
//   list [--destination D] [--key K] [--state S] [--after ID] [--limit N]
//   show ID | retry ID | skip ID | destinations | pause NAME | resume NAME
// Common options: --url (of the running server), --admin (a CAUSEWAY_CONTROL user; password
// from CAUSEWAY_PASSWORD), --cacert, --insecure.
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

namespace causeway::services::outbox {

class OutboxCommands {
 public:
  virtual ~OutboxCommands() = default;
  virtual bool Selected() const = 0;
  virtual int Run() = 0;
};

std::shared_ptr<OutboxCommands> AddOutboxCommands(CLI::App& app);

}  // namespace causeway::services::outbox
