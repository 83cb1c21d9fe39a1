#include "exchange/testing/receiver_process.h"

#include <curl/curl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>

#ifndef CW_RECEIVER_SCRIPT
#error "CW_RECEIVER_SCRIPT must name tests/support/receiver.py"
#endif
#ifndef CW_PYTHON3
#define CW_PYTHON3 "python3"
#endif

namespace causeway::exchange::testing {

namespace {

namespace json = boost::json;

core::Error ControlError(std::string text) {
  return core::MakeError(core::Code::kUnavailable, "CAUSEWAY/TEST", "001", "receiver: " + std::move(text));
}

size_t Collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::string EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

ReceiverStats StatsOf(const json::value& v) {
  const json::object& o = v.as_object();
  ReceiverStats s;
  s.connections = static_cast<int>(o.at("connections").as_int64());
  s.requests = static_cast<int>(o.at("requests").as_int64());
  s.in_flight = static_cast<int>(o.at("in_flight").as_int64());
  s.max_in_flight = static_cast<int>(o.at("max_in_flight").as_int64());
  return s;
}

core::Result<json::value> ParseJson(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return ControlError("answer is not JSON: " + text.substr(0, 200));
  return v;
}

}  // namespace

ReceiverProcess::ReceiverProcess(ReceiverOptions options) : options_(std::move(options)) {
  const std::string python = EnvOr("CAUSEWAY_PYTHON3", CW_PYTHON3);
  const std::string script = EnvOr("CAUSEWAY_RECEIVER", CW_RECEIVER_SCRIPT);
  std::vector<std::string> args = {python, script, "--host", "127.0.0.1", "--port", "0"};
  if (!options_.tls_cert.empty()) {
    args.insert(args.end(), {"--tls-cert", options_.tls_cert, "--tls-key", options_.tls_key});
  }
  if (!options_.require_basic.empty()) args.insert(args.end(), {"--require-basic", options_.require_basic});
  for (const std::string& r : options_.rules) args.insert(args.end(), {"--rule", r});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2];
  if (pipe(out) != 0) {
    error_ = "pipe failed";
    return;
  }
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    error_ = "fork failed";
    close(out[0]);
    close(out[1]);
    return;
  }
  if (pid_ == 0) {  // child: only async-signal-safe calls until exec
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  // The receiver prints {"port": N, …} once it listens; EOF means it died.
  std::string line;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  close(out[0]);
  core::Result<json::value> v = ParseJson(line);
  if (!v.ok() || !v->is_object() || !v->as_object().contains("port")) {
    error_ = "receiver did not start (" + python + " " + script + "): '" + line + "'";
    return;
  }
  port_ = static_cast<uint16_t>(v->as_object().at("port").as_int64());
}

ReceiverProcess::~ReceiverProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

std::string ReceiverProcess::url() const {
  return std::string(options_.tls_cert.empty() ? "http" : "https") + "://127.0.0.1:" + std::to_string(port_);
}

core::Result<std::string> ReceiverProcess::Control(const std::string& method, const std::string& path,
                                                   std::string_view body, long* status) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return ControlError("curl_easy_init failed");
  const std::string target = url() + "/_receiver/" + path;
  std::string answer;
  curl_easy_setopt(curl, CURLOPT_URL, target.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);  // the control channel only; never the client under test
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (!body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_COPYPOSTFIELDS, std::string(body).c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return ControlError(method + " " + path + ": " + curl_easy_strerror(rc));
  if (status != nullptr) {
    *status = code;
  } else if (code != 200) {
    return ControlError(method + " " + path + " answered " + std::to_string(code) + ": " + answer);
  }
  return answer;
}

core::Status ReceiverProcess::AddRules(std::string_view json) {
  CW_RETURN_IF_ERROR(Control("POST", "rules", json));
  return core::Status::Ok();
}

core::Status ReceiverProcess::ClearRules() {
  CW_RETURN_IF_ERROR(Control("DELETE", "rules"));
  return core::Status::Ok();
}

core::Status ReceiverProcess::Reset() {
  CW_RETURN_IF_ERROR(Control("POST", "reset"));
  return core::Status::Ok();
}

core::Status ReceiverProcess::OpenGate(std::string_view name) {
  CW_RETURN_IF_ERROR(Control("POST", "gates/" + std::string(name) + "/open"));
  return core::Status::Ok();
}

core::Result<ReceiverStats> ReceiverProcess::Stats() {
  CW_ASSIGN_OR_RETURN(std::string text, Control("GET", "stats"));
  CW_ASSIGN_OR_RETURN(json::value v, ParseJson(text));
  return StatsOf(v);
}

core::Result<std::vector<ReceivedRequest>> ReceiverProcess::Requests(std::string_view path) {
  CW_ASSIGN_OR_RETURN(std::string text, Control("GET", path.empty() ? "requests" : "requests?path=" + std::string(path)));
  CW_ASSIGN_OR_RETURN(json::value v, ParseJson(text));
  std::vector<ReceivedRequest> out;
  for (const json::value& row : v.as_object().at("requests").as_array()) {
    const json::object& o = row.as_object();
    ReceivedRequest r;
    r.seq = static_cast<int>(o.at("seq").as_int64());
    r.method = json::value_to<std::string>(o.at("method"));
    r.path = json::value_to<std::string>(o.at("path"));
    r.query = json::value_to<std::string>(o.at("query"));
    r.body = json::value_to<std::string>(o.at("body"));
    for (const json::value& h : o.at("headers").as_array()) {
      r.headers.Add(json::value_to<std::string>(h.as_array().at(0)), json::value_to<std::string>(h.as_array().at(1)));
    }
    r.connection = static_cast<int>(o.at("connection").as_int64());
    r.attempt = static_cast<int>(o.at("attempt").as_int64());
    r.authorized = o.at("authorized").as_bool();
    out.push_back(std::move(r));
  }
  return out;
}

core::Result<ReceiverStats> ReceiverProcess::WaitFor(int in_flight, int requests, std::chrono::seconds timeout) {
  long status = 0;
  CW_ASSIGN_OR_RETURN(std::string text,
                      Control("GET",
                              "wait?in_flight=" + std::to_string(in_flight) + "&requests=" + std::to_string(requests) +
                                  "&timeout=" + std::to_string(timeout.count()),
                              {}, &status));
  CW_ASSIGN_OR_RETURN(json::value v, ParseJson(text));
  ReceiverStats stats = StatsOf(v);
  if (status != 200) {
    return ControlError("wait timed out: in_flight=" + std::to_string(stats.in_flight) +
                        " requests=" + std::to_string(stats.requests));
  }
  return stats;
}

}  // namespace causeway::exchange::testing
