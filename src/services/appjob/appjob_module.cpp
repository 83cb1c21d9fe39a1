#include "services/appjob/appjob_module.h"

#include <boost/json.hpp>

#include "core/url.h"
#include "domain/jobs/job_engine.h"
#include "domain/jobs/job_repository.h"
#include "domain/jobs/process_runner.h"
#include "http/authority.h"
#include "security/password_hash.h"
#include "services/appjob/appjob_service.h"
#include "services/appjob/demo_templates.h"
#include "services/appjob/jobs_config.h"
#include "services/appjob/template_json.h"
#include "services/common/control_methods.h"
#include "services/common/odata_endpoint.h"
#include "services/common/problem_json.h"
#include "services/common/unit_of_work_answer.h"

namespace causeway::services::appjob {
namespace {

constexpr char kService[] = "BC_EXT_APPJOB_MANAGEMENT";
constexpr char kControlService[] = "CAUSEWAY_CONTROL";

// The job engine asks the security layer whether a JobUser is a business user.
class BusinessUsers final : public jobs::UserDirectory {
 public:
  explicit BusinessUsers(const security::UserDirectory& users) : users_(users) {}
  bool IsBusinessUser(std::string_view user) const override { return users_.IsBusinessUser(user); }

 private:
  const security::UserDirectory& users_;
};

class AppJobModule final : public Module {
 public:
  std::string_view Name() const override { return "jobs"; }

  std::vector<std::string> ConfigSections() const override { return {"jobs", "control"}; }

  core::Status Configure(const toml::table& root, bool demo) override {
    CW_ASSIGN_OR_RETURN(config_, ParseJobsConfig(root));
    config_.demo_templates = config_.demo_templates || demo;
    runner_.set_kill_grace(config_.kill_grace);
    return core::Status::Ok();
  }

  security::ScenarioCatalog Scenarios() const override {
    // SAP_COM_0064: schedule, read and cancel own jobs; SAP_COM_0326: any job, any business user.
    return {{"SAP_COM_0064", {kService}}, {"SAP_COM_0326", {kService}}};
  }

  std::vector<DemoUser> DemoUsers() const override {
    auto user = [](std::string name, security::UserKind kind, std::vector<std::string> scenarios, std::string role) {
      // Demo passwords are printed: a cheap hash cost is fine (computed once at start).
      return DemoUser{{.name = name, .kind = kind, .password_hash = security::HashPassword("Welcome1!", 10000),
                       .scenarios = std::move(scenarios), .full_name = role},
                      "Welcome1!", role};
    };
    return {user("JOB_SCHEDULER", security::UserKind::kCommunication, {"SAP_COM_0064"},
                 "communication user, SAP_COM_0064 (own jobs)"),
            user("JOB_ADMIN", security::UserKind::kCommunication, {"SAP_COM_0064", "SAP_COM_0326"},
                 "communication user, SAP_COM_0064 + SAP_COM_0326 (any job, any business user)"),
            user("PLANNER", security::UserKind::kBusiness, {}, "business user (JobUser)")};
  }

  std::vector<store::Migration> Migrations() const override { return jobs::JobMigrations(); }

  core::Status Start(ModuleContext& ctx) override {
    db_ = &ctx.db;
    business_users_ = std::make_unique<BusinessUsers>(ctx.users);
    std::vector<jobs::JobTemplate> templates = config_.templates;
    if (config_.demo_templates) {
      for (auto& t : DemoTemplates()) templates.push_back(std::move(t));
    }
    // SQLite: this process is the store's only node (the read cache is exact, and jobs left
    // running by a previous process end at start). PostgreSQL: nodes share the store, every read
    // asks it (and may wait on the network, so reads run on the worker pool).
    const bool sole_node = ctx.db.dialect() == store::Dialect::kSqlite;
    jobs::EngineOptions options;
    options.workers = config_.workers;
    options.node_id = config_.node_id.empty() ? ctx.node_id : config_.node_id;
    options.lease = config_.lease;
    options.lease_renewal = config_.lease_renewal;
    options.claim_interval = config_.claim_interval;
    options.recovery_interval = config_.recovery_interval;
    options.take_over_at_start = sole_node;
    options.cache_reads = config_.cache_reads.value_or(sole_node);
    options.feed_cache = config_.feed_cache;
    options.cache_capacity = static_cast<size_t>(config_.cache_capacity);
    blocking_reads_ = !sole_node;
    CW_ASSIGN_OR_RETURN(engine_, jobs::JobEngine::Open(ctx.db, ctx.clock, runner_, *business_users_,
                                                       std::move(templates), options));
    CW_ASSIGN_OR_RETURN(std::shared_ptr<AppJobService> service, AppJobService::Create(*engine_, ctx.db));
    CW_ASSIGN_OR_RETURN(std::unique_ptr<odata::Engine> odata, odata::Engine::Create(service, {.clock = &ctx.clock}));
    odata_ = std::shared_ptr<const odata::Engine>(std::move(odata));
    public_host_ = ctx.public_host;
    return core::Status::Ok();
  }

  std::vector<http::Endpoint> Endpoints() override {
    std::vector<http::Endpoint> out;
    // JobSchedule stages the new job in the request's unit and reads only memory (templates,
    // users; on PostgreSQL after the change feed's barrier, which parks the request); cancels
    // and restarts write on their own (a hold on the job first): workers.
    out.push_back(ODataEndpoint({.engine = odata_,
                                 .db = db_,
                                 .public_host = public_host_,
                                 .blocking_reads = blocking_reads_,
                                 // A status or a job's details: the cache behind the change
                                 // feed's barrier, which parks the request meanwhile.
                                 .inline_reads = [](const http::Request& req) {
                                   const std::string_view fn = LastPathSegment(req);
                                   return fn == "JobStatusGet" || fn == "JobinfoGet";
                                 },
                                 .inline_writes = [](const http::Request& req) {
                                   return req.method == "POST" && LastPathSegment(req) == "JobSchedule";
                                 }}));
    http::Endpoint templates;
    templates.key = "/_causeway/templates";
    templates.guard = {.service = kControlService, .authenticate = true, .csrf = false};
    templates.render = ProblemJsonErrors();
    templates.may_block = [](const http::Request&) { return true; };
    templates.handle = [this](http::Request& req, const http::RouteMatch& m) { return Templates(req, m.rest); };
    out.push_back(std::move(templates));
    return out;
  }

  std::vector<std::string> ServiceRoots() const override {
    return {"/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002/"};
  }

  std::string MetricsText() const override {
    std::string out =
        "# HELP causeway_jobs_active Jobs this node has claimed and runs.\n# TYPE causeway_jobs_active gauge\n"
        "causeway_jobs_active " + std::to_string(engine_->ActiveJobCount()) + "\n"
        "# HELP causeway_jobs_table_analyses_total Analyses of the job tables this node ran (PostgreSQL).\n"
        "# TYPE causeway_jobs_table_analyses_total counter\n"
        "causeway_jobs_table_analyses_total " + std::to_string(engine_->TableAnalyses()) + "\n";
    // A count over the store: the engine no longer holds every job.
    if (auto stored = engine_->JobCount(); stored.ok())
      out += "# HELP causeway_jobs Jobs in the store (all statuses, all nodes).\n# TYPE causeway_jobs gauge\n"
             "causeway_jobs " + std::to_string(*stored) + "\n";
    return out;
  }

  void Stop() override { engine_.reset(); }

 private:
  // /_causeway/templates            GET: all templates
  // /_causeway/templates/<name>     GET one, PUT (create or replace), DELETE
  http::Response Templates(http::Request& req, std::string_view rest) {
    if (rest.empty() || rest == "/") {
      if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
      boost::json::array arr;
      for (const auto& t : engine_->Templates()) arr.push_back(TemplateToJson(t));
      return JsonResponse(200, {{"templates", arr}});
    }
    if (rest[0] != '/') return ProblemJson(ControlError(core::Code::kNotFound, "001", "Unknown control resource"));
    std::string name;
    // "/IBP/LOG_DELETION" travels as %2FIBP%2F…; '+' stays '+' as in any path.
    if (!core::PercentDecode(rest.substr(1), /*plus_is_space=*/false, &name) || name.empty())
      return ProblemJson(ControlError(core::Code::kBadRequest, "010", "Malformed template name in the URL"));
    auto not_found = [&] { return ProblemJson(ControlError(core::Code::kNotFound, "001", "Job template " + name + " does not exist")); };
    const std::string_view method = ControlMethod(req);
    if (method == "GET") {
      auto t = engine_->FindTemplate(name);
      if (!t.ok()) return not_found();
      return JsonResponse(200, TemplateToJson(*t));
    }
    if (method == "PUT") {
      auto t = TemplateFromJson(req.body, name, config_.allow_command_templates);
      if (!t.ok()) return ProblemJson(t.error());
      auto stored = engine_->UpsertTemplate(std::move(t).value(), req.user);
      if (!stored.ok()) return ProblemJson(stored.error());
      return JsonResponse(stored->created ? 201 : 200, TemplateToJson(stored->stored));
    }
    if (method == "DELETE") {
      core::Status st = engine_->DeleteTemplate(name);
      if (!st.ok()) return st.error().code == core::Code::kBadRequest ? not_found() : ProblemJson(st.error());
      http::Response r;
      r.status = 204;
      return r;
    }
    return MethodNotAllowed({"GET", "PUT", "DELETE"});
  }

  JobsConfig config_;

  store::Database* db_ = nullptr;
  bool blocking_reads_ = false;
  http::PublicHost public_host_;
  std::unique_ptr<BusinessUsers> business_users_;
  jobs::PosixProcessRunner runner_;
  std::unique_ptr<jobs::JobEngine> engine_;
  std::shared_ptr<const odata::Engine> odata_;
};

}  // namespace

std::unique_ptr<Module> MakeAppJobModule() { return std::make_unique<AppJobModule>(); }

}  // namespace causeway::services::appjob
