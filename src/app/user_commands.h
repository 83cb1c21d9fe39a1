// `causeway user …`: hash a password for the config file; lock or unlock a user, either on a
// running server (through /_causeway/users/<NAME>/unlock) or, when it is stopped, in the store.
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

namespace causeway::app {

class UserCommands {
 public:
  virtual ~UserCommands() = default;
  virtual bool Selected() const = 0;
  virtual int Run() = 0;
};

std::shared_ptr<UserCommands> AddUserCommands(CLI::App& app);

}  // namespace causeway::app
