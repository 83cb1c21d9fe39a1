#include "services/case_exchange/case_exchange_module.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>

#include "core/random.h"
#include "domain/changes/change_desk.h"
#include "security/password_hash.h"
#include "security/security_migrations.h"
#include "services/case_exchange/control_routes.h"
#include "services/case_exchange/logon.h"
#include "services/case_exchange/outbox_publisher.h"
#include "services/case_exchange/rest_answer.h"
#include "services/case_exchange/rest_api.h"
#include "services/case_exchange/token_codec.h"
#include "store/shared_setting.h"

namespace causeway::services::case_exchange {
namespace {

// /rest/<tenant>/ces: where incoming operations are posted (other spellings go to a worker).
bool IsOperationsPath(std::string_view path) {
  std::string_view rest = path.substr(std::min(path.size(), std::string_view(kRestPrefix).size()));
  const size_t slash = rest.find('/');
  return path.starts_with(kRestPrefix) && slash != 0 && slash != std::string_view::npos && rest.substr(slash) == "/ces";
}

}  // namespace

CaseExchangeModule::CaseExchangeModule() = default;
CaseExchangeModule::~CaseExchangeModule() = default;

core::Status CaseExchangeModule::Configure(const toml::table& root, bool demo) {
  CW_ASSIGN_OR_RETURN(options_, ParseOptions(root));
  if (demo || options_.demo_tenant) {
    TenantConfig t = DemoTenant();
    if (std::none_of(options_.tenants.begin(), options_.tenants.end(), [&](const auto& x) { return x.id == t.id; }))
      options_.tenants.push_back(std::move(t));
  }
  return core::Status::Ok();
}

std::vector<store::Migration> CaseExchangeModule::Migrations() const { return changes::ChangeMigrations(); }

void CaseExchangeModule::AddMessageKinds(exchange::KindRegistry& kinds) const { AddCaseExchangeKinds(kinds); }

core::Status CaseExchangeModule::ApplyConfiguration() {
  // The file's items are written again at every start (unchanged ones are skipped), so the
  // file wins over run-time changes of the same items until the next restart; items created at
  // run time stay.
  for (const TenantConfig& tc : options_.tenants) {
    auto dir = desk_->directory();
    const changes::Tenant* current = dir->FindTenant(tc.id);
    if (!current || current->name != tc.name) CW_RETURN_IF_ERROR(desk_->PutTenant(tc.id, tc.name));
    // Systems act as people of their tenant, by login, and a login moves its systems along
    // (ChangeDesk::PutPerson). So: first the systems whose authorized user already exists (a
    // system handed from a person whose login the file then takes away), then the people,
    // then the systems still different from the file (those whose user the people just made).
    auto put_systems = [&](bool only_existing_users) -> core::Status {
      auto now = desk_->directory();
      const changes::Tenant* t = now->FindTenant(tc.id);
      for (const auto& s : tc.systems) {
        const changes::ExternalSystem* old = t ? t->FindSystem(s.id) : nullptr;
        if (old && *old == s) continue;
        if (only_existing_users && (!t || !t->FindPersonByLogin(s.authorized_user))) continue;
        CW_RETURN_IF_ERROR(desk_->PutSystem(tc.id, s));
      }
      return core::Status::Ok();
    };
    CW_RETURN_IF_ERROR(put_systems(true));
    std::vector<changes::Person> changed;
    for (const PersonConfig& pc : tc.people) {
      changes::Person p = pc.person;
      const changes::Person* old = current ? current->FindPerson(p.id) : nullptr;
      if (!pc.password.empty()) {
        // Keep the stored hash while it still matches: a new salt would end every token.
        if (old && !old->password_hash.empty() && security::VerifyPassword(pc.password, old->password_hash))
          p.password_hash = old->password_hash;
        else
          p.password_hash = security::HashPassword(pc.password, options_.hash_iterations);
      }
      if (!old || !(*old == p)) changed.push_back(std::move(p));
    }
    CW_RETURN_IF_ERROR(desk_->PutPeople(tc.id, std::move(changed)));
    CW_RETURN_IF_ERROR(put_systems(false));
    for (const auto& g : tc.groups) {
      const changes::Group* old = current ? current->FindGroup(g.id) : nullptr;
      if (!old || !(*old == g)) CW_RETURN_IF_ERROR(desk_->PutGroup(tc.id, g));
    }
  }
  for (const auto& w : options_.workflows) {
    auto dir = desk_->directory();
    auto it = dir->workflows.find(w.change_type);
    if (it == dir->workflows.end() || !(it->second == w)) CW_RETURN_IF_ERROR(desk_->PutWorkflow(w));
  }
  return core::Status::Ok();
}

core::Status CaseExchangeModule::Start(ModuleContext& ctx) {
  desk_ = std::make_unique<changes::ChangeDesk>(ctx.db, ctx.clock);
  CW_RETURN_IF_ERROR(desk_->Open());
  CW_RETURN_IF_ERROR(ApplyConfiguration());
  CW_ASSIGN_OR_RETURN(std::string key, store::SharedSetting(ctx.db, security::kSettingsTable, "cx_token_key",
                                                            [] { return core::RandomHexUpper(32); }));
  tokens_ = std::make_unique<TokenCodec>(key, ctx.clock, options_.token_lifetime);
  publisher_ = std::make_unique<OutboxPublisher>(ctx.outbox, *desk_);
  desk_->SetPublisher(publisher_.get());
  // Every system with a URL is a destination from the start: messages accepted before a restart,
  // or by another node, are delivered without waiting for this node's own next push to it.
  publisher_->DirectoryChanged(*desk_->directory());
  logon_ = std::make_unique<Logon>(*desk_, *tokens_, options_);
  rest_ = std::make_unique<RestApi>(*desk_, ctx.db, *logon_, options_);
  // An edit reads its records from the store: on SQLite a read of the local file, on PostgreSQL
  // a round trip that must not hold an I/O thread.
  inline_operations_ = ctx.db.dialect() == store::Dialect::kSqlite;
  if (ctx.demo)
    spdlog::info("case exchange demo tenant 100000002: agent ana.agent, integrations sx.snow (SNOW) and sx.jira (JIRA), "
                 "password Welcome1!");
  return core::Status::Ok();
}

std::vector<http::Endpoint> CaseExchangeModule::Endpoints() {
  Logon* logon = logon_.get();
  RestApi* rest = rest_.get();
  auto json_error = [](const http::Request&, const core::Error& e) { return RestError(e); };
  http::Endpoint auth{.key = kAuthPrefix,
                      .guard = {.service = "CX_AUTH", .authenticate = false, .csrf = false, .authorize = false},
                      .handle = [logon](http::Request& req, const http::RouteMatch& m) { return logon->Handle(req, m.rest); },
                      .render = {.error = json_error},
                      .may_block = [](const http::Request&) { return true; },
                      .label = "CX_AUTH"};
  // Incoming operations (POST …/ces) are tried on the I/O thread: an edit stages its writes in
  // the request's unit and the answer waits for the commit without a thread (Response::after),
  // which saves the hop to a worker and back (a third of an Update's CPU was the scheduler). An
  // edit that would wait there (a record another request holds, a number block to take) hands
  // the request to a worker, where it runs again from the start (core/blocking.h).
  const bool inline_operations = inline_operations_;
  http::Endpoint api{.key = kRestPrefix,
                     .guard = {.service = "CX_REST", .authenticate = false, .csrf = false, .authorize = false},
                     .handle = [rest](http::Request& req, const http::RouteMatch& m) { return rest->Handle(req, m.rest); },
                     .render = {.error = json_error},
                     .may_block = [inline_operations](const http::Request& req) {
                       return !(inline_operations && req.method == "POST" && req.body.size() <= http::kInlineBodyLimit &&
                                IsOperationsPath(req.Path()));
                     },
                     .label = "CX_REST"};
  return {std::move(auth), std::move(api), ControlEndpoint(*desk_, options_)};
}

std::vector<std::string> CaseExchangeModule::ServiceRoots() const {
  std::vector<std::string> roots = {std::string(kAuthPrefix) + "token"};
  for (const auto& t : options_.tenants) roots.push_back(std::string(kRestPrefix) + t.id + "/ces");
  return roots;
}

std::string CaseExchangeModule::MetricsText() const {
  if (!logon_) return {};
  return "# HELP causeway_cx_password_checks_total Slow password hashes run by case-exchange logons.\n"
         "# TYPE causeway_cx_password_checks_total counter\n"
         "causeway_cx_password_checks_total " + std::to_string(logon_->password_checks()) + "\n"
         "# HELP causeway_cx_records_locked Change records held by edits of this process.\n"
         "# TYPE causeway_cx_records_locked gauge\n"
         "causeway_cx_records_locked " + std::to_string(desk_->locks().held()) + "\n";
}

// A reload (when another node moved the master data's version) hands the new directory to the
// publisher, which points this node's outbox destinations at the systems' current URLs.
void CaseExchangeModule::Refresh() {
  if (desk_) (void)desk_->directory();
}

void CaseExchangeModule::Stop() {
  if (desk_) desk_->SetPublisher(nullptr);
}

std::unique_ptr<Module> MakeCaseExchangeModule() { return std::make_unique<CaseExchangeModule>(); }

}  // namespace causeway::services::case_exchange
