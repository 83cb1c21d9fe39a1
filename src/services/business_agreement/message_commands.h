// `causeway messages …`: the web-service message monitor of a running server, from the command
// line (through /_causeway/messages, see message_monitor_routes.h):
//   causeway messages list    --url U --admin A [--kind async|sync] [--service S] [--operation O]
//                             [--status S] [--user U] [--object-key K] [--message-id M]
//                             [--from T] [--to T] [--limit N] [--cursor C]
//   causeway messages show    <id> --url U --admin A     one entry with its log
//   causeway messages payload <id> --url U --admin A     the stored payload (XML)
//   causeway messages restart|cancel|release <id> --url U --admin A
//   causeway messages summary --url U --admin A          counts per service and status
// The password comes from CAUSEWAY_PASSWORD. Output: the server's JSON (payload: the XML) on
// stdout. Exit codes: 0 ok, 1 server or transport error, 2 usage, 3 the status does not allow
// the action (409), 4 not found.
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

namespace causeway::services::business_agreement {

class MessageCommands {
 public:
  virtual ~MessageCommands() = default;
  virtual bool Selected() const = 0;
  virtual int Run() = 0;
};

std::shared_ptr<MessageCommands> AddMessageCommands(CLI::App& app);

}  // namespace causeway::services::business_agreement
