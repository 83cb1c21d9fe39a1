#include "app/user_commands.h"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "app/config.h"
#include "app/store_config.h"
#include "core/ascii.h"
#include "core/url.h"
#include "exchange/control_options.h"
#include "security/password_hash.h"
#include "security/user_directory.h"
#include "store/migration.h"

namespace causeway::app {
namespace {

std::string ReadPassword() {
  bool tty = ::isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::cerr << "Password: " << std::flush;
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string pw;
  std::getline(std::cin, pw);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  return pw;
}

class UserCommandsImpl final : public UserCommands {
 public:
  explicit UserCommandsImpl(CLI::App& app) {
    root_ = app.add_subcommand("user", "User administration");
    hash_ = root_->add_subcommand("hash", "Print a password hash for causeway.toml (password from stdin)");
    for (auto [cmd, verb] : {std::pair<CLI::App**, const char*>{&unlock_, "unlock"}, {&lock_, "lock"}}) {
      *cmd = root_->add_subcommand(verb, std::string(verb) + " a user");
      (*cmd)->add_option("name", name_, "user name")->required();
      (*cmd)->add_option("-c,--config", config_, "causeway.toml (offline: change the store directly)");
      (*cmd)->add_option("--data", data_dir_, "data directory (offline; default ./var)");
      exchange::AddControlOptions(**cmd, call_, /*url_required=*/false);
    }
    root_->require_subcommand(1);
  }

  bool Selected() const override { return root_->parsed(); }

  int Run() override {
    if (hash_->parsed()) {
      std::string pw = ReadPassword();
      if (pw.empty()) {
        std::cerr << "causeway: empty password\n";
        return 2;
      }
      std::cout << security::HashPassword(pw) << "\n";
      return 0;
    }
    bool unlock = unlock_->parsed();
    return call_.base_url.empty() ? Offline(unlock) : Online(unlock);
  }

 private:
  int Online(bool unlock) {
    if (call_.user.empty()) {
      std::cerr << "causeway: --url needs --admin\n";
      return 2;
    }
    if (!exchange::ReadControlPassword(call_)) return 2;
    return exchange::PrintControlAnswer(exchange::CallControl(
        call_, "POST",
        "/_causeway/users/" + core::PercentEncode(core::ToUpper(name_)) + (unlock ? "/unlock" : "/lock")));
  }

  int Offline(bool unlock) {
    Config c;
    if (!config_.empty()) {
      auto loaded = LoadConfig(config_);
      if (!loaded.ok()) {
        std::cerr << "causeway: " << loaded.error().text << "\n";
        return 2;
      }
      c = std::move(loaded).value();
    } else {
      c = DemoConfig();
    }
    if (!data_dir_.empty()) c.data_dir = data_dir_;
    // Unlocking in a store that does not exist would create an empty one that no server reads (a
    // lock may be set before the first start).
    if (std::error_code ec;
        unlock && c.store.backend != "postgres" && !std::filesystem::exists(c.data_dir / "causeway.db", ec) && !ec) {
      std::cerr << "causeway: no store at " << (c.data_dir / "causeway.db").string()
                << ": give the stopped server's --config (or --data), or --url for a running one\n";
      return 2;
    }
    auto db = OpenStore(c.store, c.data_dir);
    if (!db.ok()) {
      std::cerr << "causeway: " << db.error().text << "\n";
      return 1;
    }
    if (auto st = store::Migrate(**db, security::UserDirectory::Migrations()); !st.ok()) {
      std::cerr << "causeway: " << st.error().text << "\n";
      return 1;
    }
    security::UserDirectory users(c.users, c.scenarios, c.max_failed_logons);
    core::Status st = users.AttachStore(db->get());
    if (st.ok()) st = unlock ? users.Unlock(name_) : users.Lock(name_);
    if (!st.ok()) {
      std::cerr << "causeway: " << st.error().text << "\n";
      return 1;
    }
    std::cout << core::ToUpper(name_) << (unlock ? " unlocked" : " locked")
              << " (a running server keeps its own state: use --url while it runs)\n";
    return 0;
  }

  CLI::App* root_;
  CLI::App* hash_;
  CLI::App* unlock_ = nullptr;
  CLI::App* lock_ = nullptr;
  std::string name_, config_, data_dir_;
  exchange::ControlCall call_;
};

}  // namespace

std::shared_ptr<UserCommands> AddUserCommands(CLI::App& app) { return std::make_shared<UserCommandsImpl>(app); }

}  // namespace causeway::app
