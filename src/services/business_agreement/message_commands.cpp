#include "services/business_agreement/message_commands.h"

#include <map>
#include <string>
#include <vector>

#include "core/url.h"
#include "exchange/control_options.h"

namespace causeway::services::business_agreement {
namespace {

class MessageCommandsImpl final : public MessageCommands {
 public:
  explicit MessageCommandsImpl(CLI::App& app) {
    root_ = app.add_subcommand("messages", "The web-service message monitor of a running server (JSON)");
    list_ = root_->add_subcommand("list", "List messages and faults, newest first");
    summary_ = root_->add_subcommand("summary", "Counts per service and status");
    for (const char* name : {"show", "payload", "restart", "cancel", "release"}) {
      CLI::App* c = root_->add_subcommand(name, std::string(name) == "show"      ? "Show one entry with its log"
                                                : std::string(name) == "payload" ? "Print a stored payload"
                                                : std::string(name) == "restart" ? "Process a message in error again"
                                                : std::string(name) == "cancel"  ? "Cancel a message"
                                                                                 : "Let the messages waiting behind "
                                                                                   "a message in error go on without it");
      c->add_option("id", id_, "message number or transaction ID")->required();
      by_id_[name] = c;
    }
    for (const char* f : {"kind", "service", "operation", "status", "user", "object-key", "message-id", "from", "to",
                          "limit", "cursor"})
      list_->add_option(std::string("--") + f, filters_[f], std::string("filter: ") + f);
    std::vector<CLI::App*> all = {list_, summary_};
    for (const auto& [name, c] : by_id_) all.push_back(c);
    for (CLI::App* c : all) exchange::AddControlOptions(*c, call_);
    root_->require_subcommand(1);
  }

  bool Selected() const override { return root_->parsed(); }

  int Run() override {
    if (!exchange::ReadControlPassword(call_)) return 2;
    std::string path = "/_causeway/messages";
    std::string method = "GET";
    if (list_->parsed()) {
      std::string query;
      for (const auto& [name, value] : filters_) {
        if (value.empty()) continue;
        std::string key = name;
        for (char& c : key)
          if (c == '-') c = '_';
        query += (query.empty() ? "?" : "&") + key + "=" + core::PercentEncode(value);
      }
      path += query;
    } else if (summary_->parsed()) {
      path += "/summary";
    } else {
      for (const auto& [name, cmd] : by_id_) {
        if (!cmd->parsed()) continue;
        path += "/" + core::PercentEncode(id_);
        if (name != "show") path += "/" + name;
        if (name == "restart" || name == "cancel" || name == "release") method = "POST";
      }
    }
    return exchange::PrintControlAnswer(exchange::CallControl(call_, method, path));
  }

 private:
  CLI::App* root_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* summary_ = nullptr;
  std::map<std::string, CLI::App*> by_id_;
  std::map<std::string, std::string> filters_;
  exchange::ControlCall call_;
  std::string id_;
};

}  // namespace

std::shared_ptr<MessageCommands> AddMessageCommands(CLI::App& app) { return std::make_shared<MessageCommandsImpl>(app); }

}  // namespace causeway::services::business_agreement
