#include "client/testing/fake_job_service.h"

#include <boost/json.hpp>

#include "core/base64.h"

namespace causeway::client::testing {

namespace json = boost::json;

namespace {

constexpr const char* kSessionCookie = "SAP_SESSIONID_CWY_100";

std::string CookieValue(const std::string& cookies, const std::string& name) {
  size_t pos = 0;
  while ((pos = cookies.find(name + "=", pos)) != std::string::npos) {
    if (pos == 0 || cookies[pos - 1] == ' ' || cookies[pos - 1] == ';') {
      size_t start = pos + name.size() + 1;
      return cookies.substr(start, cookies.find(';', start) - start);
    }
    pos += name.size();
  }
  return "";
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

bool Terminal(char s) { return std::string_view("FWAUCDKX").find(s) != std::string_view::npos; }

}  // namespace

FakeJobService::FakeJobService(std::string user, std::string password)
    : user_(std::move(user)), password_(std::move(password)) {}

void FakeJobService::AddTemplate(FakeTemplate t) {
  std::lock_guard lock(mu_);
  templates_[t.name] = std::move(t);
}
void FakeJobService::SetShape(ResponseShape shape) { std::lock_guard lock(mu_); shape_ = shape; }
void FakeJobService::SetHeadAllowed(bool allowed) { std::lock_guard lock(mu_); head_allowed_ = allowed; }
void FakeJobService::ExpireSessions() { std::lock_guard lock(mu_); sessions_.clear(); }
void FakeJobService::WithholdTokens(int n) { std::lock_guard lock(mu_); withhold_tokens_ = n; }
void FakeJobService::SetCsrfReject405(bool on) { std::lock_guard lock(mu_); csrf_reject_405_ = on; }
void FakeJobService::DropStatusGets(int n) { std::lock_guard lock(mu_); drop_status_gets_ = n; }
void FakeJobService::BusyStatusGets(int n) {
  std::lock_guard lock(mu_);
  busy_status_gets_ = n;
}
void FakeJobService::SetCancelledStatus(char status) {
  std::lock_guard lock(mu_);
  cancelled_status_ = status;
}
void FakeJobService::SetLoginPage(bool on) { std::lock_guard lock(mu_); login_page_ = on; }
void FakeJobService::SetServerError(std::string function) {
  std::lock_guard lock(mu_);
  server_error_function_ = std::move(function);
}
void FakeJobService::SetAcceptClientCert(bool on) { std::lock_guard lock(mu_); accept_client_cert_ = on; }
void FakeJobService::SetOnRequest(std::function<void(const MockRequest&, const std::string&)> hook) {
  std::lock_guard lock(mu_);
  hook_ = std::move(hook);
}

int FakeJobService::Calls(const std::string& function) const {
  std::lock_guard lock(mu_);
  auto it = calls_.find(function);
  return it == calls_.end() ? 0 : it->second;
}

std::string FakeJobService::LastParam(const std::string& function, const std::string& param) const {
  std::lock_guard lock(mu_);
  auto f = last_params_.find(function);
  if (f == last_params_.end()) return "";
  auto p = f->second.find(param);
  return p == f->second.end() ? "" : p->second;
}

std::string FakeJobService::LastAuthSubject() const {
  std::lock_guard lock(mu_);
  return last_subject_;
}

MockResponse FakeJobService::LoginPage(int status) {
  MockResponse r;
  r.status = status;
  r.headers = {{"content-type", "text/html; charset=utf-8"}};
  r.body = "<!DOCTYPE html>\n<html><head><title>SAP  Logon</title></head><body>"
           "<form method=\"post\">Log on</form></body></html>";
  return r;
}

MockResponse FakeJobService::GatewayError(int status, const std::string& code,
                                          const std::string& text) const {
  MockResponse r;
  r.status = status;
  if (shape_ == ResponseShape::kAtom) {
    r.headers = {{"content-type", "application/xml;charset=utf-8"}};
    r.body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><error xmlns=\"http://schemas.microsoft.com/"
             "ado/2007/08/dataservices/metadata\"><code>" + code + "</code><message xml:lang=\"en\">" +
             XmlEscape(text) + "</message><innererror><transactionid>0123456789ABCDEF0123456789ABCDEF"
             "</transactionid></innererror></error>";
    return r;
  }
  r.headers = {{"content-type", "application/json; charset=utf-8"}};
  json::object err{{"code", code},
                   {"message", json::object{{"lang", "en"}, {"value", text}}},
                   {"innererror", json::object{{"transactionid", "0123456789ABCDEF0123456789ABCDEF"},
                                               {"errordetails", json::array{json::object{
                                                   {"code", code}, {"message", text},
                                                   {"severity", "error"}}}}}}};
  r.body = json::serialize(json::object{{"error", std::move(err)}});
  return r;
}

MockResponse FakeJobService::Single(const std::string& function, const std::string& type,
                                    const Entity& e) const {
  return Collection(function, type, {e});  // shape decides how one entity is wrapped
}

MockResponse FakeJobService::Collection(const std::string& function, const std::string& type,
                                        const std::vector<Entity>& rows) const {
  const bool single = function == "JobSchedule" || function == "JobStatusGet" ||
                      function == "JobCancel" || function == "JobAbort" || function == "JobRestart";
  MockResponse r;
  if (shape_ == ResponseShape::kAtom) {
    auto entry = [&](const Entity& e, bool root) {
      std::string s = root ? "<entry xmlns=\"http://www.w3.org/2005/Atom\" xmlns:m=\"http://schemas."
                             "microsoft.com/ado/2007/08/dataservices/metadata\" xmlns:d=\"http://"
                             "schemas.microsoft.com/ado/2007/08/dataservices\">"
                           : "<entry>";
      s += "<id>urn:" + type + "</id><title type=\"text\">" + type + "</title>"
           "<category term=\"BC_EXT_APPJOB_MANAGEMENT." + type + "\"/><content type=\"application/xml\">"
           "<m:properties>";
      for (const Prop& p : e) {
        s += "<d:" + p.name + (p.number ? " m:type=\"Edm.Int32\"" : "") + ">" + XmlEscape(p.text) +
             "</d:" + p.name + ">";
      }
      s += "<d:Unused m:null=\"true\"/></m:properties></content></entry>";
      return s;
    };
    r.body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    if (single) {
      r.headers = {{"content-type", "application/atom+xml;type=entry;charset=utf-8"}};
      r.body += entry(rows.front(), true);
    } else {
      r.headers = {{"content-type", "application/atom+xml;type=feed;charset=utf-8"}};
      r.body += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:m=\"http://schemas.microsoft.com/"
                "ado/2007/08/dataservices/metadata\" xmlns:d=\"http://schemas.microsoft.com/ado/2007/"
                "08/dataservices\"><title type=\"text\">" + type + "</title>";
      for (const Entity& e : rows) r.body += entry(e, false);
      r.body += "</feed>";
    }
    return r;
  }
  r.headers = {{"content-type", "application/json; charset=utf-8"}, {"dataserviceversion", "2.0"}};
  auto object = [&](const Entity& e) {
    json::object o;
    o["__metadata"] = json::object{{"id", "urn:x"}, {"uri", "urn:x"},
                                   {"type", "BC_EXT_APPJOB_MANAGEMENT." + type}};
    for (const Prop& p : e) {
      if (p.number) o[p.name] = std::stoll(p.text);
      else o[p.name] = p.text;
    }
    o["JobNavigation"] = json::object{{"__deferred", json::object{{"uri", "urn:nav"}}}};
    return o;
  };
  json::value d;
  if (single && shape_ == ResponseShape::kEntity) {
    d = object(rows.front());
  } else if (single && shape_ == ResponseShape::kFunctionWrapped) {
    d = json::object{{function, object(rows.front())}};
  } else {
    json::array arr;
    for (const Entity& e : rows) arr.push_back(object(e));
    d = json::object{{"results", std::move(arr)}};
  }
  r.body = json::serialize(json::object{{"d", std::move(d)}});
  return r;
}

MockResponse FakeJobService::Handle(const MockRequest& request) {
  std::string function;
  const std::string root = kRoot;
  if (request.path.rfind(root, 0) == 0) {
    function = request.path.substr(root.size());
    if (!function.empty() && function.front() == '/') function.erase(0, 1);
  }
  std::function<void(const MockRequest&, const std::string&)> hook;
  {
    std::lock_guard lock(mu_);
    hook = hook_;
  }
  if (hook) hook(request, function);
  std::lock_guard lock(mu_);
  return Dispatch(request, function);
}

MockResponse FakeJobService::Dispatch(const MockRequest& request, const std::string& function) {
  calls_[request.method == "HEAD" ? "HEAD" : function]++;
  last_params_[function] = std::map<std::string, std::string>(request.query.begin(),
                                                              request.query.end());
  last_subject_ = request.client_cert_subject;
  if (login_page_) return LoginPage(200);
  if (request.path.rfind(kRoot, 0) != 0) return GatewayError(404, "/IWFND/MED/170", "No service found");

  // Logon: session cookie, client certificate or Basic.
  MockResponse response;
  std::string session = CookieValue(request.Header("cookie"), kSessionCookie);
  bool authenticated = !session.empty() && sessions_.count(session);
  if (!authenticated) {
    bool by_cert = accept_client_cert_ && !request.client_cert_subject.empty();
    bool by_basic = request.Header("authorization") == "Basic " + core::Base64Encode(user_ + ":" + password_);
    if (!by_cert && !by_basic) {
      calls_["401"]++;
      MockResponse r = LoginPage(401);
      r.headers.emplace_back("www-authenticate",
                             "Basic realm=\"SAP NetWeaver Application Server [CWY/100]\"");
      r.headers.emplace_back("set-cookie", "sap-usercontext=sap-client=100; path=/");
      return r;
    }
    session = "S" + std::to_string(sessions_.size() + 1) + std::to_string(job_counter_) + "XYZ";
    sessions_[session] = "";
    response.headers.emplace_back("set-cookie", std::string(kSessionCookie) + "=" + session +
                                                    "; path=/; HttpOnly");
  }

  if (function.empty()) {  // service root: service document / token fetch
    if (request.method == "HEAD" && !head_allowed_) {
      response.status = 405;
      return response;
    }
    if (request.Header("x-csrf-token") == "Fetch" && withhold_tokens_ > 0) {
      --withhold_tokens_;
    } else if (request.Header("x-csrf-token") == "Fetch") {
      calls_["token_fetch"]++;
      std::string token = "Tok" + std::to_string(calls_["token_fetch"]) + "dFL6AjPANgi6xca09==";
      sessions_[session] = token;
      response.headers.emplace_back("x-csrf-token", token);
    }
    response.headers.emplace_back("content-type", "application/json");
    response.body = "{\"d\":{\"EntitySets\":[\"JobTemplateSet\"]}}";
    return response;
  }

  if (request.method == "POST") {
    const std::string& expected = sessions_[session];
    if (csrf_reject_405_ && request.Header("x-csrf-token").empty()) {
      calls_["csrf_405"]++;
      MockResponse r;
      r.status = 405;
      r.headers = {{"content-type", "text/plain; charset=utf-8"}};
      r.body = "Method Not Allowed";
      return r;
    }
    if (expected.empty() || request.Header("x-csrf-token") != expected) {
      calls_["csrf_403"]++;
      MockResponse r;
      r.status = 403;
      r.headers = {{"x-csrf-token", "Required"}, {"content-type", "text/plain; charset=utf-8"}};
      r.body = "CSRF token validation failed";
      return r;
    }
  }
  if (function == server_error_function_) {
    MockResponse r = GatewayError(500, "/IWBEP/CM_MGW_RT/004",
                                  "Internal server error: RFC call ended with Communication Failure");
    return r;
  }

  MockResponse out;
  const std::string name = request.Query("JobName");
  auto strip = [](std::string v) {  // the literal '...' with '' doubling
    if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') v = v.substr(1, v.size() - 2);
    std::string r;
    for (size_t i = 0; i < v.size(); ++i) {
      r += v[i];
      if (v[i] == '\'' && i + 1 < v.size() && v[i + 1] == '\'') ++i;
    }
    return r;
  };
  const std::string job_name = strip(name);
  auto job_it = jobs_.find(job_name);

  if (function == "JobTemplateSet") {
    std::vector<Entity> rows;
    std::string filter = request.Query("$filter");
    for (const auto& [tname, t] : templates_) {
      size_t a = filter.find('\''), b = filter.rfind('\'');
      std::string pattern = (a != std::string::npos && b > a) ? strip(filter.substr(a, b - a + 1)) : "";
      if (!pattern.empty() && t.text.find(pattern) == std::string::npos) continue;
      rows.push_back({{"JobTemplateName", tname}, {"JobTemplateVersion", "0"},
                      {"JobTemplateText", t.text}, {"JobTemplateStepCount", std::to_string(t.steps), true}});
    }
    return Collection(function, "JobTemplate", rows);
  }
  if (function == "JobSchedule") {
    std::string tname = strip(request.Query("JobTemplateName"));
    if (!templates_.count(tname)) {
      return GatewayError(400, "APJ_RT/015", "Job template " + tname + " doesn't exist.");
    }
    std::string new_name = "CW" + std::to_string(++job_counter_) + "_" + tname;
    jobs_[new_name] = Job{tname, 0, false, 'R'};
    return Single(function, "JobScheduleStatus",
                  {{"JobName", new_name}, {"JobRunCount", "13254600"}, {"JobStatus", "R"},
                   {"ReturnCode", "0", true}});
  }
  if (job_it == jobs_.end()) {
    return GatewayError(400, function == "JobCancel" ? "APJ_RT/039" : "APJ_RT/003",
                        function == "JobCancel" ? "Job couldn't be canceled: Job does not exist."
                                                : "Job doesn't exist.");
  }
  Job& job = job_it->second;
  const FakeTemplate& tmpl = templates_[job.template_name];
  if (function == "JobStatusGet") {
    if (drop_status_gets_ > 0) {
      --drop_status_gets_;
      out.drop_connection = true;
      return out;
    }
    if (busy_status_gets_ > 0) {
      --busy_status_gets_;
      MockResponse busy = GatewayError(429, "/IWFND/CM_BEC/026", "Too many requests");
      busy.headers.emplace_back("retry-after", "1");
      return busy;
    }
    if (job.cancelled) {
      job.last = cancelled_status_;
    } else {
      job.last = tmpl.statuses[std::min(job.next, tmpl.statuses.size() - 1)];
      ++job.next;
    }
    return Single(function, "JobScheduleStatus",
                  {{"JobName", job_name}, {"JobRunCount", "13254600"},
                   {"JobStatus", std::string(1, job.last)}, {"ReturnCode", "0", true}});
  }
  if (function == "JobinfoGet") {
    std::vector<Entity> rows;
    for (int s = 1; s <= tmpl.steps; ++s) {
      char step_status = job.last == 'R' ? (s == 1 ? 'R' : 'S') : job.last;
      rows.push_back({{"JobName", job_name}, {"JobRunCount", "13254600"},
                      {"StepCount", std::to_string(s), true}, {"JobStatus", std::string(1, job.last)},
                      {"JobStartDateTime", "/Date(1704110400000)/"},
                      {"StepStatus", std::string(1, step_status)},
                      {"StepStartDateTime", "/Date(1704110400000)/"}, {"StepAppRC", "0", true}});
    }
    return Collection(function, "Jobinfo", rows);
  }
  if (function == "JobCancel" || function == "JobAbort") {
    if (Terminal(job.last)) {
      return GatewayError(400, "APJ_RT/040", "Job couldn't be canceled: Job is not running.");
    }
    job.cancelled = true;
    return Single(function, "FuncImpReturn", {{"ReturnCode", "0", true}});
  }
  return GatewayError(404, "/IWBEP/CM_MGW_RT/020", "Resource " + function + " not found");
}

}  // namespace causeway::client::testing
