#include "services/business_agreement/message_commands.h"

#include <cctype>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "exchange/curl_http_client.h"

namespace causeway::services::business_agreement {
namespace {

// Query values: unreserved characters as they are, everything else %XX.
std::string Encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

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
    for (CLI::App* c : all) {
      c->add_option("--url", url_, "base URL of the running server, e.g. http://127.0.0.1:8080")->required();
      c->add_option("--admin", admin_, "control-plane user (password from CAUSEWAY_PASSWORD)")->required();
    }
    root_->require_subcommand(1);
  }

  bool Selected() const override { return root_->parsed(); }

  int Run() override {
    const char* pw = std::getenv("CAUSEWAY_PASSWORD");
    if (!pw) {
      std::cerr << "causeway: set CAUSEWAY_PASSWORD to the password of " << admin_ << "\n";
      return 2;
    }
    std::string path = "/_causeway/messages";
    std::string method = "GET";
    if (list_->parsed()) {
      std::string query;
      for (const auto& [name, value] : filters_) {
        if (value.empty()) continue;
        std::string key = name;
        for (char& c : key)
          if (c == '-') c = '_';
        query += (query.empty() ? "?" : "&") + key + "=" + Encode(value);
      }
      path += query;
    } else if (summary_->parsed()) {
      path += "/summary";
    } else {
      for (const auto& [name, cmd] : by_id_) {
        if (!cmd->parsed()) continue;
        path += "/" + Encode(id_);
        if (name != "show") path += "/" + name;
        if (name == "restart" || name == "cancel" || name == "release") method = "POST";
      }
    }
    auto destination = std::make_shared<exchange::Destination>();
    destination->name = "causeway-control";
    destination->base_url = url_;
    destination->user = admin_;
    destination->password = exchange::Secret(pw);
    destination->max_answer_bytes = 64u << 20;
    if (core::Status st = exchange::ValidateDestination(*destination); !st.ok()) {
      std::cerr << "causeway: " << st.error().text << "\n";
      return 2;
    }
    exchange::OutboundRequest req;
    req.destination = destination;
    req.method = method;
    req.path = path;
    exchange::CurlHttpClient client;
    exchange::HttpOutcome out = client.SendAndWait(std::move(req));
    if (!out.answered()) {
      std::cerr << "causeway: " << exchange::TransportErrorName(out.error) << ": " << out.error_text << "\n";
      return 1;
    }
    if (out.status == 200) {
      std::cout << out.body << "\n";
      return 0;
    }
    std::cerr << out.body << "\n";
    if (out.status == 404) return 4;
    if (out.status == 409) return 3;
    if (out.status == 400) return 2;
    return 1;
  }

 private:
  CLI::App* root_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* summary_ = nullptr;
  std::map<std::string, CLI::App*> by_id_;
  std::map<std::string, std::string> filters_;
  std::string url_, admin_, id_;
};

}  // namespace

std::shared_ptr<MessageCommands> AddMessageCommands(CLI::App& app) { return std::make_shared<MessageCommandsImpl>(app); }

}  // namespace causeway::services::business_agreement
