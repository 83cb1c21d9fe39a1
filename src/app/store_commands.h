// `causeway store migrate|check --config FILE`: apply every module's migrations to the
// configured store (several nodes: once before a rolling start, or let each node do it at
// start under the advisory lock), or report the back end's health and what is not applied yet.
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

namespace causeway::app {

class StoreCommands {
 public:
  virtual ~StoreCommands() = default;
  virtual bool Selected() const = 0;
  virtual int Run() = 0;
};

std::shared_ptr<StoreCommands> AddStoreCommands(CLI::App& app);

}  // namespace causeway::app
