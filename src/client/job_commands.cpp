#include "client/job_commands.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "client/csrf_session.h"
#include "client/duration_flag.h"
#include "client/exit_codes.h"
#include "client/http_client.h"
#include "client/job_parameters.h"
#include "client/job_runner.h"
#include "client/job_service.h"
#include "client/job_status.h"
#include "client/run_summary.h"
#include "client/stop_signal.h"
#include "core/ascii.h"

namespace causeway::client {

namespace {

namespace json = boost::json;

int Code(ExitCode c) { return static_cast<int>(c); }

std::string StatusString(char s) { return s ? std::string(1, s) : std::string(); }

class JobCommandImpl final : public JobCommand {
 public:
  JobCommandImpl(CLI::App& app, JobCliIo io) : io_(std::move(io)) { Register(app); }

  bool Selected() const override { return job_->parsed(); }
  int Run() override;

 private:
  void Register(CLI::App& app);
  void AddScheduleOptions(CLI::App* sub);
  void AddKeyArgs(CLI::App* sub);

  int Fail(ExitCode code, const std::string& text) {
    *io_.err << "causeway job: " << text << '\n';
    return Code(code);
  }
  int Fail(const core::Error& error) { return Fail(ExitCodeForError(error), error.text); }

  core::Result<ScheduleRequest> BuildScheduleRequest(JobService& service);
  int Templates(JobService& service);
  int Schedule(JobService& service);
  // Prints the key of a new job (schedule, restart): key=value lines or --json.
  int PrintJobKey(const ScheduledJob& job);
  int Status(JobService& service);
  int Info(JobService& service);
  int CancelOrAbort(JobService& service, bool abort);
  int Restart(JobService& service);
  int List(JobService& service);
  int RunAndWait(JobService& service, Sleeper& sleeper);

  JobCliIo io_;
  CLI::App* job_ = nullptr;
  CLI::App *templates_ = nullptr, *schedule_ = nullptr, *status_ = nullptr, *info_ = nullptr,
           *cancel_ = nullptr, *abort_ = nullptr, *restart_ = nullptr, *list_ = nullptr,
           *run_ = nullptr;

  ConnectionFlags conn_;
  bool json_ = false;
  bool verbose_ = false;

  std::string text_pattern_;
  std::string template_name_, template_text_, job_text_, job_user_, params_json_file_;
  std::vector<std::string> params_;
  std::string job_name_, job_run_count_;
  std::string restart_mode_ = "E";
  JobListFilter list_filter_;
  std::string timeout_, poll_ = "30s", on_timeout_ = "cancel", cancel_wait_ = "60s", lost_wait_ = "5m",
              log_file_;
};

void JobCommandImpl::Register(CLI::App& app) {
  job_ = app.add_subcommand("job", "Schedule and control SAP application jobs "
                                   "(BC_EXT_APPJOB_MANAGEMENT) from an external scheduler");
  job_->require_subcommand(1);
  job_->add_option("--url", conn_.url,
                   "Service root, e.g. https://host/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002 "
                   "[env CAUSEWAY_URL]");
  job_->add_option("--logon-user", conn_.user,
                   "Communication (logon) user [env CAUSEWAY_USER]; not the JobUser");
  job_->add_option("--password", conn_.password,
                   "Password (visible in ps; prefer env CAUSEWAY_PASSWORD or the config file)");
  job_->add_option("--config", conn_.config_file,
                   "TOML config file, mode 0600 [env CAUSEWAY_CONFIG; default "
                   "~/.config/causeway/client.toml]");
  job_->add_option("--client-cert", conn_.client_cert,
                   "PEM client certificate for X.509 logon [env CAUSEWAY_CLIENT_CERT]");
  job_->add_option("--client-key", conn_.client_key,
                   "PEM private key of --client-cert [env CAUSEWAY_CLIENT_KEY]");
  job_->add_option("--ca-bundle,--cacert", conn_.ca_bundle, "PEM CA bundle [env CAUSEWAY_CA_BUNDLE]");
  job_->add_flag("--insecure", conn_.insecure, "Do not verify the server's TLS certificate");
  job_->add_option("--sap-client", conn_.sap_client,
                   "ABAP client, sent as sap-client=NNN [env CAUSEWAY_SAP_CLIENT]");
  job_->add_flag("--disable-saml", conn_.disable_saml, "Send saml2=disabled (Basic logon on SAML nodes)");
  job_->add_option("--connect-timeout", conn_.connect_timeout, "TCP/TLS connect timeout (default 15s)");
  job_->add_option("--request-timeout", conn_.request_timeout, "Timeout of one HTTP request (default 120s)");
  job_->add_flag("--json", json_, "Machine-readable JSON output on stdout");
  job_->add_flag("-v,--verbose", verbose_, "Trace HTTP requests (method, URL, status; never secrets)");

  templates_ = job_->add_subcommand("templates", "List job templates");
  templates_->add_option("--text", text_pattern_, "Only templates whose text contains PATTERN");

  schedule_ = job_->add_subcommand("schedule", "Schedule a job from a template (starts immediately)");
  AddScheduleOptions(schedule_);

  status_ = job_->add_subcommand("status", "Print the status of a job (JobStatusGet)");
  AddKeyArgs(status_);
  info_ = job_->add_subcommand("info", "Print job and step details (JobinfoGet)");
  AddKeyArgs(info_);
  cancel_ = job_->add_subcommand("cancel", "Cancel a job (deletes it if it has not started)");
  AddKeyArgs(cancel_);
  abort_ = job_->add_subcommand("abort", "Abort a running job");
  AddKeyArgs(abort_);
  restart_ = job_->add_subcommand("restart", "Restart a failed/cancelled job (creates a copy)");
  AddKeyArgs(restart_);
  restart_->add_option("--mode", restart_mode_, "E: from the failed step, A: after it")
      ->check(CLI::IsMember({"E", "A"}));

  list_ = job_->add_subcommand("list", "List jobs created in a time window (JobListGet)");
  list_->add_option("--from", list_filter_.from, "Created from, YYYY-MM-DD[THH:MM[:SS]]")->required();
  list_->add_option("--to", list_filter_.to, "Created until, YYYY-MM-DD[THH:MM[:SS]]")->required();
  list_->add_option("--text", list_filter_.job_text, "Job text");
  list_->add_option("--template", list_filter_.template_name, "Template name");
  list_->add_option("--creator", list_filter_.creator, "Job creator");
  list_->add_option("--job-name", list_filter_.job_name, "Job name");

  run_ = job_->add_subcommand("run", "Schedule a job, wait until it ends, exit with its outcome");
  AddScheduleOptions(run_);
  run_->add_option("--timeout", timeout_, "Give up after this long (e.g. 2h); 0 or none: wait forever");
  run_->add_option("--on-timeout", on_timeout_, "cancel (default) or leave the job running")
      ->check(CLI::IsMember({"cancel", "leave"}));
  run_->add_option("--poll", poll_, "Maximum poll interval (adaptive from 200ms up to this)")
      ->capture_default_str();
  run_->add_option("--cancel-wait", cancel_wait_,
                   "How long to wait for the server to confirm a cancel")
      ->capture_default_str();
  run_->add_option("--lost-wait", lost_wait_,
                   "Give up (exit 7/9) when the job's status stays unreadable or unknown this long")
      ->capture_default_str();
  run_->add_option("--log", log_file_, "Append a record of status changes and the result to FILE");

  for (CLI::App* sub : {templates_, schedule_, status_, info_, cancel_, abort_, restart_, list_, run_}) {
    sub->fallthrough();  // connection options may also follow the subcommand
  }
}

void JobCommandImpl::AddScheduleOptions(CLI::App* sub) {
  auto* by_name = sub->add_option("-t,--template", template_name_, "Job template name (technical ID)");
  auto* by_text = sub->add_option("--template-text", template_text_,
                                  "Pick the template by its text (must match exactly one)");
  by_name->excludes(by_text);
  by_text->excludes(by_name);
  sub->add_option("--text", job_text_, "Job text (human-readable name; default: template name)");
  sub->add_option("--user", job_user_, "Business user the job runs as (JobUser)")->required();
  sub->add_option("-p,--param", params_, "Parameter STEP:NAME=VALUE (repeatable)");
  sub->add_option("--params-json", params_json_file_,
                  "File with a JobParameterValuesSimple object {\"VALUES\":[...]}");
}

void JobCommandImpl::AddKeyArgs(CLI::App* sub) {
  sub->add_option("JOBNAME", job_name_, "JobName")->required();
  sub->add_option("JOBRUNCOUNT", job_run_count_, "JobRunCount")->required();
}

int JobCommandImpl::Run() {
  core::Result<Connection> conn = ResolveConnection(conn_, io_.env);
  if (!conn.ok()) return Fail(ExitCode::kUsage, conn.error().text);
  for (const std::string& w : conn->warnings) *io_.err << w << '\n';

  CurlHttpClient http(conn->http);
  std::optional<StopSignal> stop_signal;
  PlainSleeper plain_sleeper;
  Sleeper* sleeper = &plain_sleeper;
  if (run_->parsed()) sleeper = &stop_signal.emplace();

  SessionOptions session_options;
  session_options.extra_query = conn->extra_query;
  session_options.retry_delay = io_.retry_delay;
  if (verbose_) {
    std::ostream* err = io_.err;
    session_options.trace = [err](std::string_view line) { *err << "[http] " << line << '\n'; };
  }
  ODataSession session(http, conn->url, *sleeper, session_options);
  JobService service(session);

  if (templates_->parsed()) return Templates(service);
  if (schedule_->parsed()) return Schedule(service);
  if (status_->parsed()) return Status(service);
  if (info_->parsed()) return Info(service);
  if (cancel_->parsed()) return CancelOrAbort(service, false);
  if (abort_->parsed()) return CancelOrAbort(service, true);
  if (restart_->parsed()) return Restart(service);
  if (list_->parsed()) return List(service);
  if (run_->parsed()) return RunAndWait(service, *sleeper);
  return Fail(ExitCode::kUsage, "no job subcommand given");
}

core::Result<ScheduleRequest> JobCommandImpl::BuildScheduleRequest(JobService& service) {
  ScheduleRequest request;
  request.job_user = job_user_;
  if (!template_name_.empty()) {
    request.template_name = template_name_;
  } else if (!template_text_.empty()) {
    CW_ASSIGN_OR_RETURN(std::vector<JobTemplate> found, service.Templates(template_text_));
    std::vector<JobTemplate> exact;
    for (const JobTemplate& t : found) {
      if (core::IEquals(t.text, template_text_)) exact.push_back(t);
    }
    const std::vector<JobTemplate>& pick = exact.empty() ? found : exact;
    if (pick.empty()) {
      return core::MakeError(core::Code::kNotFound, "CLIENT", "",
                             "no job template with text '" + template_text_ + "'");
    }
    if (pick.size() > 1) {
      std::string names;
      for (const JobTemplate& t : pick) names += " " + t.name;
      return core::MakeError(core::Code::kPreconditionRequired, "USAGE", "",
                             "template text '" + template_text_ + "' matches " +
                                 std::to_string(pick.size()) + " templates:" + names +
                                 "; use --template");
    }
    request.template_name = pick.front().name;
  } else {
    return core::MakeError(core::Code::kPreconditionRequired, "USAGE", "",
                           "give --template NAME or --template-text TEXT");
  }
  request.job_text = job_text_.empty() ? request.template_name : job_text_;

  std::vector<ParamSpec> specs;
  for (const std::string& p : params_) {
    core::Result<ParamSpec> spec = ParseParamSpec(p);
    if (!spec.ok()) {
      core::Error e = std::move(spec).error();
      e.message_class = "USAGE";
      return e;
    }
    specs.push_back(std::move(*spec));
  }
  std::string file_text;
  if (!params_json_file_.empty()) {
    std::ifstream in(params_json_file_, std::ios::binary);
    if (!in) {
      return core::MakeError(core::Code::kPreconditionRequired, "USAGE", "",
                             "cannot read --params-json file " + params_json_file_);
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    file_text = buf.str();
  }
  core::Result<std::string> simple = BuildParameterValuesSimple(specs, file_text);
  if (!simple.ok()) {
    core::Error e = std::move(simple).error();
    e.message_class = "USAGE";
    return e;
  }
  request.parameters_simple = std::move(*simple);
  return request;
}

// Errors the client raised itself about the command line carry message_class "USAGE".
ExitCode ExitFor(const core::Error& error) {
  return error.message_class == "USAGE" ? ExitCode::kUsage : ExitCodeForError(error);
}

int JobCommandImpl::Templates(JobService& service) {
  core::Result<std::vector<JobTemplate>> templates = service.Templates(text_pattern_);
  if (!templates.ok()) return Fail(templates.error());
  if (json_) {
    json::array arr;
    for (const JobTemplate& t : *templates) {
      arr.push_back(json::object{{"JobTemplateName", t.name},
                                 {"JobTemplateText", t.text},
                                 {"JobTemplateStepCount", t.step_count}});
    }
    *io_.out << json::serialize(arr) << '\n';
  } else {
    for (const JobTemplate& t : *templates) {
      *io_.out << t.name << '\t' << t.step_count << '\t' << t.text << '\n';
    }
  }
  return Code(ExitCode::kFinished);
}

int JobCommandImpl::PrintJobKey(const ScheduledJob& job) {
  if (json_) {
    *io_.out << json::serialize(json::object{{"JobName", job.job_name},
                                             {"JobRunCount", job.job_run_count},
                                             {"JobStatus", StatusString(job.status)}})
             << '\n';
  } else {
    *io_.out << "JobName=" << job.job_name << "\nJobRunCount=" << job.job_run_count << '\n';
  }
  return Code(ExitCode::kFinished);
}

int JobCommandImpl::Schedule(JobService& service) {
  core::Result<ScheduleRequest> request = BuildScheduleRequest(service);
  if (!request.ok()) return Fail(ExitFor(request.error()), request.error().text);
  core::Result<ScheduledJob> job = service.Schedule(*request);
  if (!job.ok()) return Fail(job.error());
  return PrintJobKey(*job);
}

int JobCommandImpl::Status(JobService& service) {
  core::Result<ScheduledJob> job = service.Status(job_name_, job_run_count_);
  if (!job.ok()) return Fail(job.error());
  if (json_) {
    *io_.out << json::serialize(json::object{{"JobName", job->job_name},
                                             {"JobRunCount", job->job_run_count},
                                             {"JobStatus", StatusString(job->status)},
                                             {"JobStatusText", std::string(StatusText(job->status))}})
             << '\n';
  } else {
    *io_.out << "JobStatus=" << StatusString(job->status) << "\nJobStatusText="
             << StatusText(job->status) << '\n';
  }
  return Code(ExitCode::kFinished);
}

int JobCommandImpl::Info(JobService& service) {
  core::Result<JobInfo> info = service.Info(job_name_, job_run_count_);
  if (!info.ok()) return Fail(info.error());
  if (json_) {
    json::array steps;
    for (const JobStepInfo& s : info->steps) {
      steps.push_back(json::object{{"StepCount", s.step},
                                   {"StepStatus", StatusString(s.status)},
                                   {"StepStartDateTime", s.start},
                                   {"StepAppRC", s.app_rc}});
    }
    *io_.out << json::serialize(json::object{{"JobName", job_name_},
                                             {"JobRunCount", job_run_count_},
                                             {"JobStatus", StatusString(info->job_status)},
                                             {"JobSdlDateTime", info->scheduled},
                                             {"JobStartDateTime", info->start},
                                             {"JobEndDateTime", info->end},
                                             {"steps", std::move(steps)}})
             << '\n';
  } else {
    *io_.out << "JobStatus=" << StatusString(info->job_status) << " (" << StatusText(info->job_status)
             << ")\nScheduled=" << info->scheduled << "\nStarted=" << info->start
             << "\nEnded=" << info->end << '\n';
    for (const JobStepInfo& s : info->steps) {
      *io_.out << "step " << s.step << '\t' << StatusString(s.status) << '\t' << s.start << '\t'
               << "rc=" << s.app_rc << '\n';
    }
  }
  return Code(ExitCode::kFinished);
}

int JobCommandImpl::CancelOrAbort(JobService& service, bool abort) {
  core::Status st = abort ? service.Abort(job_name_, job_run_count_)
                          : service.Cancel(job_name_, job_run_count_);
  if (!st.ok()) return Fail(st.error());
  *io_.out << (abort ? "abort" : "cancel") << " requested for " << job_name_ << '/'
           << job_run_count_ << '\n';
  return Code(ExitCode::kFinished);
}

int JobCommandImpl::Restart(JobService& service) {
  core::Result<ScheduledJob> job = service.Restart(job_name_, job_run_count_, restart_mode_);
  if (!job.ok()) return Fail(job.error());
  return PrintJobKey(*job);
}

int JobCommandImpl::List(JobService& service) {
  core::Result<std::vector<JobListEntry>> jobs = service.List(list_filter_);
  if (!jobs.ok()) {
    if (jobs.error().message_class == "CLIENT" && jobs.error().code == core::Code::kBadRequest &&
        jobs.error().text.starts_with("invalid date")) {
      return Fail(ExitCode::kUsage, jobs.error().text);
    }
    return Fail(jobs.error());
  }
  if (json_) {
    json::array arr;
    for (const JobListEntry& j : *jobs) {
      arr.push_back(json::object{{"JobName", j.job_name},
                                 {"JobRunCount", j.job_run_count},
                                 {"JobText", j.job_text},
                                 {"TemplateName", j.template_name},
                                 {"JobCreator", j.creator},
                                 {"JobCreaDateTime", j.created},
                                 {"JobStatus", StatusString(j.status)}});
    }
    *io_.out << json::serialize(arr) << '\n';
  } else {
    for (const JobListEntry& j : *jobs) {
      *io_.out << j.job_name << '\t' << j.job_run_count << '\t' << StatusString(j.status) << '\t'
               << j.created << '\t' << j.template_name << '\t' << j.job_text << '\n';
    }
  }
  return Code(ExitCode::kFinished);
}

int JobCommandImpl::RunAndWait(JobService& service, Sleeper& sleeper) {
  RunOptions options;
  if (!timeout_.empty()) {
    core::Result<std::chrono::milliseconds> t = ParseDuration(timeout_);
    if (!t.ok()) return Fail(ExitCode::kUsage, "--timeout: " + t.error().text);
    // 0 is "no limit", as schedulers write it (a zero bound would cancel the job at once).
    if (t->count() > 0) options.timeout = *t;
  }
  core::Result<std::chrono::milliseconds> poll = ParseDuration(poll_);
  if (!poll.ok() || poll->count() == 0) {
    return Fail(ExitCode::kUsage, "--poll: " + (poll.ok() ? std::string("must be > 0")
                                                          : poll.error().text));
  }
  options.poll_max = *poll;
  core::Result<std::chrono::milliseconds> cancel_wait = ParseDuration(cancel_wait_);
  if (!cancel_wait.ok()) return Fail(ExitCode::kUsage, "--cancel-wait: " + cancel_wait.error().text);
  options.cancel_wait = *cancel_wait;
  core::Result<std::chrono::milliseconds> lost_wait = ParseDuration(lost_wait_);
  if (!lost_wait.ok()) return Fail(ExitCode::kUsage, "--lost-wait: " + lost_wait.error().text);
  options.lost_wait = *lost_wait;
  options.leave_on_timeout = on_timeout_ == "leave";

  std::ofstream log;
  if (!log_file_.empty()) {
    log.open(log_file_, std::ios::app);
    if (!log) return Fail(ExitCode::kUsage, "cannot open --log file " + log_file_);
  }
  bool interactive = io_.interactive.value_or(isatty(STDERR_FILENO) == 1);
  options.steps_every_poll = interactive;

  core::Result<ScheduleRequest> request = BuildScheduleRequest(service);
  if (!request.ok()) return Fail(ExitFor(request.error()), request.error().text);
  options.schedule = std::move(*request);

  ProgressReporter progress(*io_.err, interactive, log.is_open() ? &log : nullptr);
  RunSummary summary = RunJob(service, sleeper, progress, options);
  if (json_) {
    *io_.out << RunSummaryJson(summary, options.schedule.template_name) << '\n';
  } else {
    *io_.out << "JobName=" << summary.job.job_name << "\nJobRunCount=" << summary.job.job_run_count
             << "\nJobStatus=" << StatusString(summary.final_status) << "\nExitCode="
             << Code(summary.exit_code) << " (" << ExitReasonName(summary.exit_code) << ")\n";
  }
  return Code(summary.exit_code);
}

}  // namespace

std::shared_ptr<JobCommand> AddJobCommand(CLI::App& app, JobCliIo io) {
  return std::make_shared<JobCommandImpl>(app, std::move(io));
}

int ParseErrorExit(CLI::App& app, const CLI::ParseError& error, std::ostream& out,
                   std::ostream& err) {
  int rc = app.exit(error, out, err);
  return rc == 0 ? 0 : Code(ExitCode::kUsage);
}

int RunJobCli(std::vector<std::string> args, JobCliIo io) {
  CLI::App app{"causeway-job: schedule and control SAP application jobs", "causeway-job"};
  app.require_subcommand(1);
  std::ostream* out = io.out;
  std::ostream* err = io.err;
  std::shared_ptr<JobCommand> job = AddJobCommand(app, std::move(io));
  if (args.size() > 1 && args[1] != "job" && args[1] != "-h" && args[1] != "--help") {
    args.insert(args.begin() + 1, "job");
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return ParseErrorExit(app, e, *out, *err);
  }
  return job->Selected() ? job->Run() : Code(ExitCode::kUsage);
}

}  // namespace causeway::client
