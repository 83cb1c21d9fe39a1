#include "services/task_activity/task_commands.h"

#include <iostream>
#include <string>

#include "core/url.h"
#include "exchange/control_options.h"

namespace causeway::services::task_activity {
namespace {

class TaskCommandsImpl final : public TaskCommands {
 public:
  explicit TaskCommandsImpl(CLI::App& app) {
    root_ = app.add_subcommand("task", "Activity tasks stored by ManageTaskActivityIn (JSON)");
    list_ = root_->add_subcommand("list", "List tasks by ID");
    show_ = root_->add_subcommand("show", "Show one task");
    show_->add_option("id", id_, "task ID or UUID")->required();
    list_->add_option("--after", after_, "only tasks with a greater ID");
    list_->add_option("--limit", limit_, "at most this many (1-1000)");
    for (CLI::App* c : {list_, show_}) exchange::AddControlOptions(*c, call_);
    root_->require_subcommand(1);
  }

  bool Selected() const override { return root_->parsed(); }

  int Run() override {
    if (!exchange::ReadControlPassword(call_)) return 2;
    std::string path = "/_causeway/task-activity/tasks";
    if (show_->parsed()) {
      if (id_.empty()) {
        std::cerr << "causeway task show: the task ID or UUID is empty\n";
        return 2;
      }
      path += "/" + core::PercentEncode(id_);  // '../users' or '?x' must not reach another resource
    } else {
      path += "?limit=" + std::to_string(limit_) + "&after=" + std::to_string(after_);
    }
    return exchange::PrintControlAnswer(exchange::CallControl(call_, "GET", path));
  }

 private:
  CLI::App* root_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  exchange::ControlCall call_;
  std::string id_;
  int64_t after_ = 0;
  int limit_ = 100;
};

}  // namespace

std::shared_ptr<TaskCommands> AddTaskCommands(CLI::App& app) { return std::make_shared<TaskCommandsImpl>(app); }

}  // namespace causeway::services::task_activity
