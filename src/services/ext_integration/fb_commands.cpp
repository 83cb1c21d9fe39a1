#include "services/ext_integration/fb_commands.h"

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/base64.h"
#include "core/url.h"
#include "exchange/control_options.h"

namespace causeway::services::ext_integration {
namespace {

namespace json = boost::json;

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

std::string FileName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

class FbCommandsImpl final : public FbCommands {
 public:
  explicit FbCommandsImpl(CLI::App& app) {
    root_ = app.add_subcommand("fb", "Focused Build: drive work packages and work items of a running server (JSON)");
    root_->require_subcommand(1);
    auto sub = [&](const char* name, const char* help) {
      CLI::App* c = root_->add_subcommand(name, help);
      exchange::AddControlOptions(*c, call_);
      return c;
    };
    list_ = sub("list", "List work packages and work items by ticket number");
    list_->add_option("--after", after_, "only tickets with a greater number");
    list_->add_option("--limit", limit_, "at most this many (1-1000)");
    list_->add_option("--type", type_, "only this process type (S1IT, S1CG, S1MJ)");
    for (auto [name, help] : {std::pair{"show", "Show one ticket with its EXTERNAL_ID and jump-in URLs"},
                              {"history", "Status history of a ticket"},
                              {"pushes", "The pushes of a ticket to the external tool"},
                              {"links", "The signed download links of a ticket's documents"},
                              {"handover", "Run S1_CALL_EXT (handover to development): push it"}}) {
      CLI::App* c = sub(name, help);
      c->add_option("id", id_, "TICKET_GUID or ticket number")->required();
      reads_.push_back(c);
    }
    create_ = sub("create", "Create a work package or work item");
    change_ = sub("change", "Change fields and lists of a ticket");
    change_->add_option("id", id_, "TICKET_GUID or ticket number")->required();
    for (CLI::App* c : {create_, change_}) {
      c->add_option("--json", json_, "the body as JSON text");
      c->add_option("--file", file_, "the body from a file");
    }
    text_ = sub("text", "Add a text to a ticket");
    text_->add_option("id", id_, "TICKET_GUID or ticket number")->required();
    text_->add_option("--text-id", text_id_, "text ID, e.g. S115 or CD99")->required();
    text_->add_option("--text", text_body_, "the text")->required();
    text_->add_option("--author", author_, "business partner number of the author");
    status_ = sub("status", "Set a ticket's user status");
    status_->add_option("id", id_, "TICKET_GUID or ticket number")->required();
    status_->add_option("status", status_code_, "user status, e.g. E0022")->required();
    upload_ = sub("upload", "Upload a document or attachment");
    upload_->add_option("id", id_, "TICKET_GUID or ticket number")->required();
    upload_->add_option("--file", file_, "the file to upload")->required();
    upload_->add_option("--kind", kind_, "document or attachment")->check(CLI::IsMember({"document", "attachment"}));
    upload_->add_option("--content-type", content_type_, "its media type");
    upload_->add_option("--title", title_, "a document's title");
    customizing_ = sub("customizing", "Show or replace the customizing (or one section)");
    customizing_->add_option("section", section_, "destinations, projects, project_mappings, profiles, …");
    customizing_->add_option("--put", put_file_, "replace it with this JSON file");
    system_ = sub("system", "SYSTEM_GUID, service root, link settings");
  }

  bool Selected() const override { return root_->parsed(); }

  int Run() override {
    if (!exchange::ReadControlPassword(call_)) return 2;
    std::string method = "GET", path, body;
    const std::string object = "/_causeway/fb/objects/" + core::PercentEncode(id_);
    if (list_->parsed()) {
      path = "/_causeway/fb/objects?limit=" + std::to_string(limit_);
      if (!after_.empty()) path += "&after=" + core::PercentEncode(after_);
      if (!type_.empty()) path += "&process_type=" + core::PercentEncode(type_);
    } else if (system_->parsed()) {
      path = "/_causeway/fb/system";
    } else if (create_->parsed() || change_->parsed()) {
      if (json_.empty() == file_.empty()) return Usage("give the body with --json or --file");
      body = json_;
      if (!file_.empty() && !ReadFile(file_, &body)) return Usage("cannot read " + file_);
      method = create_->parsed() ? "POST" : "PATCH";
      path = create_->parsed() ? "/_causeway/fb/objects" : object;
    } else if (text_->parsed()) {
      json::object o{{"text_id", text_id_}, {"text", text_body_}};
      if (!author_.empty()) o["author"] = author_;
      method = "POST";
      path = object + "/texts";
      body = json::serialize(o);
    } else if (status_->parsed()) {
      method = "POST";
      path = object + "/status";
      body = json::serialize(json::object{{"status", status_code_}});
    } else if (upload_->parsed()) {
      std::string content;
      if (!ReadFile(file_, &content)) return Usage("cannot read " + file_);
      json::object o{{"kind", kind_}, {"file_name", FileName(file_)}, {"content_base64", core::Base64Encode(content)}};
      if (!content_type_.empty()) o["content_type"] = content_type_;
      if (!title_.empty()) o["title"] = title_;
      method = "POST";
      path = object + "/documents";
      body = json::serialize(o);
    } else if (customizing_->parsed()) {
      path = "/_causeway/fb/customizing" + (section_.empty() ? "" : "/" + core::PercentEncode(section_));
      if (!put_file_.empty()) {
        if (!ReadFile(put_file_, &body)) return Usage("cannot read " + put_file_);
        method = "PUT";
      }
    } else {
      for (CLI::App* c : reads_) {
        if (!c->parsed()) continue;
        const std::string name = c->get_name();
        if (name == "show") path = object;
        if (name == "history" || name == "pushes" || name == "links") path = object + "/" + name;
        if (name == "handover") {
          method = "POST";
          path = object + "/actions/S1_CALL_EXT";
        }
      }
    }
    return exchange::PrintControlAnswer(exchange::CallControl(call_, method, path, body));
  }

 private:
  static int Usage(const std::string& text) {
    std::cerr << "causeway: " << text << "\n";
    return 2;
  }

  CLI::App* root_ = nullptr;
  CLI::App *list_ = nullptr, *create_ = nullptr, *change_ = nullptr, *text_ = nullptr, *status_ = nullptr,
           *upload_ = nullptr, *customizing_ = nullptr, *system_ = nullptr;
  std::vector<CLI::App*> reads_;
  exchange::ControlCall call_;
  std::string id_, after_, type_, json_, file_, text_id_, text_body_, author_, status_code_,
      kind_ = "document", content_type_, title_, section_, put_file_;
  int limit_ = 100;
};

}  // namespace

std::shared_ptr<FbCommands> AddFbCommands(CLI::App& app) { return std::make_shared<FbCommandsImpl>(app); }

}  // namespace causeway::services::ext_integration
