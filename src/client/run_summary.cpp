#include "client/run_summary.h"

#include <boost/json.hpp>

#include "client/job_status.h"

namespace causeway::client {

std::string RunSummaryJson(const RunSummary& summary, const std::string& template_name) {
  namespace json = boost::json;
  json::object o;
  o["job_name"] = summary.job.job_name;
  o["job_run_count"] = summary.job.job_run_count;
  o["template"] = template_name;
  o["status"] = summary.final_status ? std::string(1, summary.final_status) : std::string();
  o["status_text"] = summary.final_status ? std::string(StatusText(summary.final_status)) : "";
  o["exit_code"] = static_cast<int>(summary.exit_code);
  o["exit_reason"] = std::string(ExitReasonName(summary.exit_code));
  o["message"] = summary.message;
  o["started_at"] = summary.started_at;
  o["ended_at"] = summary.ended_at;
  o["elapsed_ms"] = summary.elapsed.count();
  o["cancel_requested"] = summary.cancel_requested;
  o["cancel_confirmed"] = summary.cancel_confirmed;
  o["signal"] = summary.signal;
  json::array steps;
  if (summary.info) {
    o["job_start"] = summary.info->start;
    o["job_end"] = summary.info->end;
    for (const JobStepInfo& s : summary.info->steps) {
      steps.push_back(json::object{{"step", s.step},
                                   {"status", s.status ? std::string(1, s.status) : ""},
                                   {"start", s.start},
                                   {"app_rc", s.app_rc}});
    }
  }
  o["steps"] = std::move(steps);
  return json::serialize(o);
}

}  // namespace causeway::client
