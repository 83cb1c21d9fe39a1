#include "app/store_commands.h"

#include <iostream>

#include "app/config.h"
#include "app/modules.h"
#include "app/store_config.h"
#include "security/user_directory.h"

namespace causeway::app {
namespace {

class StoreCommandsImpl final : public StoreCommands {
 public:
  explicit StoreCommandsImpl(CLI::App& app) {
    root_ = app.add_subcommand("store", "Store administration (SQLite or PostgreSQL, from the config)");
    root_->require_subcommand(1);
    migrate_ = root_->add_subcommand("migrate", "Apply every pending migration");
    check_ = root_->add_subcommand("check", "Connect, report health and pending migrations (exit 1 if any)");
    for (auto* c : {migrate_, check_}) {
      c->add_option("-c,--config", config_, "causeway.toml (default: the embedded demo's store)");
      c->add_option("--data", data_dir_, "data directory (SQLite)");
    }
  }
  bool Selected() const override { return root_->parsed(); }

  int Run() override {
    Config c = DemoConfig();
    if (!config_.empty()) {
      auto loaded = LoadConfig(config_);
      if (!loaded.ok()) {
        std::cerr << "causeway: " << loaded.error().text << "\n";
        return 2;
      }
      c = std::move(loaded).value();
    }
    if (!data_dir_.empty()) c.data_dir = data_dir_;
    auto db = OpenStore(c.store, c.data_dir);
    if (!db.ok()) {
      std::cerr << "causeway: " << db.error().text << "\n";
      return 1;
    }
    std::vector<store::Migration> migrations = security::UserDirectory::Migrations();
    for (const auto& m : ServiceModules())
      for (auto& mig : m->Migrations()) migrations.push_back(std::move(mig));
    if (migrate_->parsed()) {
      if (auto st = store::Migrate(**db, migrations); !st.ok()) {
        std::cerr << "causeway: migration failed: " << st.error().text << "\n";
        return 1;
      }
      std::cout << "store " << (*db)->Kind() << ": " << migrations.size() << " migrations applied or present\n";
      return 0;
    }
    auto pending = PendingMigrations(**db, migrations);
    if (!pending.ok()) {
      std::cerr << "causeway: " << pending.error().text << "\n";
      return 1;
    }
    std::cout << "store " << (*db)->Kind() << ": " << (*db)->Health() << "\n";
    std::cout << "migrations: " << migrations.size() - pending->size() << " applied, " << pending->size() << " pending";
    for (int v : *pending) std::cout << " " << v;
    std::cout << "\n";
    return (*db)->Health() == "ok" && pending->empty() ? 0 : 1;
  }

 private:
  CLI::App* root_;
  CLI::App* migrate_;
  CLI::App* check_;
  std::string config_, data_dir_;
};

}  // namespace

std::shared_ptr<StoreCommands> AddStoreCommands(CLI::App& app) { return std::make_shared<StoreCommandsImpl>(app); }

}  // namespace causeway::app
