#include "services/task_activity/task_commands.h"

#include <cstdlib>
#include <iostream>
#include <string>

#include "exchange/control_call.h"

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
    for (CLI::App* c : {list_, show_}) {
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
    std::string path = "/_causeway/task-activity/tasks";
    if (show_->parsed()) {
      path += "/" + id_;
    } else {
      path += "?limit=" + std::to_string(limit_) + "&after=" + std::to_string(after_);
    }
    auto answer = exchange::CallControl({.base_url = url_, .user = admin_, .password = pw}, "GET", path);
    if (answer.ok() && answer->status == 404) {
      std::cerr << answer->body << "\n";
      return 4;
    }
    return exchange::PrintControlAnswer(answer);
  }

 private:
  CLI::App* root_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  std::string url_, admin_, id_;
  int64_t after_ = 0;
  int limit_ = 100;
};

}  // namespace

std::shared_ptr<TaskCommands> AddTaskCommands(CLI::App& app) { return std::make_shared<TaskCommandsImpl>(app); }

}  // namespace causeway::services::task_activity
