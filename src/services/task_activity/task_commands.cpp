#include "services/task_activity/task_commands.h"

#include <curl/curl.h>

#include <cstdlib>
#include <iostream>
#include <string>

namespace causeway::services::task_activity {
namespace {

size_t CollectBody(char* p, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, size * n);
  return size * n;
}

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
    std::string url = url_ + "/_causeway/task-activity/tasks";
    if (show_->parsed()) {
      url += "/" + id_;
    } else {
      url += "?limit=" + std::to_string(limit_) + "&after=" + std::to_string(after_);
    }
    CURL* curl = curl_easy_init();
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, admin_.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, pw);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
      std::cerr << "causeway: " << curl_easy_strerror(rc) << "\n";
      return 1;
    }
    if (status == 404) {
      std::cerr << body << "\n";
      return 4;
    }
    if (status != 200) {
      std::cerr << "causeway: HTTP " << status << " " << body << "\n";
      return 1;
    }
    std::cout << body << "\n";
    return 0;
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
