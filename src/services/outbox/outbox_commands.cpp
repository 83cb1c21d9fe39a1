#include "services/outbox/outbox_commands.h"

#include "core/url.h"
#include "exchange/control_options.h"

namespace causeway::services::outbox {
namespace {

class OutboxCommandsImpl final : public OutboxCommands {
 public:
  explicit OutboxCommandsImpl(CLI::App& app) {
    root_ = app.add_subcommand("outbox", "Outbound messages of a running server (JSON)");
    root_->require_subcommand(1);
    list_ = root_->add_subcommand("list", "List messages (newest filters first: destination, key, state)");
    list_->add_option("--destination", destination_, "destination name");
    list_->add_option("--key", key_, "ordering key");
    list_->add_option("--state", state_, "pending, in_flight, delivered, failed or skipped");
    list_->add_option("--after", after_, "only messages with a greater id");
    list_->add_option("--limit", limit_, "at most this many (1-1000)");
    show_ = root_->add_subcommand("show", "One message with every attempt");
    retry_ = root_->add_subcommand("retry", "Send a failed message again (fresh retry budget)");
    skip_ = root_->add_subcommand("skip", "Give a failed message up; its key moves on");
    for (CLI::App* c : {show_, retry_, skip_}) c->add_option("id", id_, "message id")->required();
    destinations_ = root_->add_subcommand("destinations", "Destinations with their queues (no secrets)");
    pause_ = root_->add_subcommand("pause", "Stop sending to a destination (kept across restarts)");
    resume_ = root_->add_subcommand("resume", "Send to a paused destination again");
    for (CLI::App* c : {pause_, resume_}) c->add_option("name", name_, "destination name")->required();
    for (CLI::App* c : {list_, show_, retry_, skip_, destinations_, pause_, resume_})
      exchange::AddControlOptions(*c, call_);
  }

  bool Selected() const override { return root_->parsed(); }

  int Run() override {
    if (!exchange::ReadControlPassword(call_)) return 2;
    const std::string base = "/_causeway/outbox/";
    if (list_->parsed()) {
      std::string q;
      auto add = [&](const char* n, const std::string& v) {
        if (!v.empty()) q += (q.empty() ? "?" : "&") + std::string(n) + "=" + core::PercentEncode(v);
      };
      add("destination", destination_);
      add("key", key_);
      add("state", state_);
      add("after", after_);
      add("limit", limit_);
      return Call("GET", base + "messages" + q);
    }
    if (show_->parsed()) return Call("GET", base + "messages/" + core::PercentEncode(id_));
    if (retry_->parsed()) return Call("POST", base + "messages/" + core::PercentEncode(id_) + "/retry");
    if (skip_->parsed()) return Call("POST", base + "messages/" + core::PercentEncode(id_) + "/skip");
    if (destinations_->parsed()) return Call("GET", base + "destinations");
    return Call("POST",
                base + "destinations/" + core::PercentEncode(name_) + (pause_->parsed() ? "/pause" : "/resume"));
  }

 private:
  int Call(const std::string& method, const std::string& path) {
    return exchange::PrintControlAnswer(exchange::CallControl(call_, method, path));
  }

  CLI::App *root_, *list_, *show_, *retry_, *skip_, *destinations_, *pause_, *resume_;
  exchange::ControlCall call_;
  std::string destination_, key_, state_, after_, limit_, id_, name_;
};

}  // namespace

std::shared_ptr<OutboxCommands> AddOutboxCommands(CLI::App& app) { return std::make_shared<OutboxCommandsImpl>(app); }

}  // namespace causeway::services::outbox
