// A scripted imitation of BC_EXT_APPJOB_MANAGEMENT as SAP Gateway serves it, for the client's
// tests: Basic or X.509 logon with a 401 HTML page, SAP_SESSIONID cookie, CSRF token bound to the
// session (403 + x-csrf-token: Required), JSON in three envelope shapes or Atom, Gateway error
// bodies, and jobs whose successive JobStatusGet answers follow a per-template script.
// Thread-safe: the handler runs on the mock server thread, tests read from theirs.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "client/testing/mock_http_server.h"

namespace causeway::client::testing {

enum class ResponseShape {
  kEntity,           // {"d":{…}}
  kResults,          // {"d":{"results":[{…}]}}
  kFunctionWrapped,  // {"d":{"JobSchedule":{…}}}
  kAtom,             // Atom XML although $format=json was asked for
};

struct FakeTemplate {
  std::string name;
  std::string text;
  int steps = 1;
  std::string statuses = "RF";  // answers of successive JobStatusGet calls; the last repeats
};

class FakeJobService {
 public:
  static constexpr const char* kRoot = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002";

  FakeJobService(std::string user, std::string password);

  MockResponse Handle(const MockRequest& request);
  MockHandler Handler() {
    return [this](const MockRequest& r) { return Handle(r); };
  }

  void AddTemplate(FakeTemplate t);
  void SetShape(ResponseShape shape);
  void SetHeadAllowed(bool allowed);       // false: HEAD answers 405 (client must use GET)
  void ExpireSessions();                   // drops sessions and tokens (security session timeout)
  void WithholdTokens(int n);              // next n token fetches offer no X-CSRF-Token
  void SetCsrfReject405(bool on);          // a POST without a token gets a bare 405, not 403
  void DropStatusGets(int n);              // next n JobStatusGet: connection closed unanswered
  void BusyStatusGets(int n);              // next n JobStatusGet: 429 with Retry-After: 1
  void SetCancelledStatus(char status);    // what a cancelled job shows: C (S/4HANA), A (IBP)
  void SetLoginPage(bool on);              // every request: 200 text/html SAML-style login page
  void SetServerError(std::string function);  // that function answers 500 with a Gateway body
  void SetAcceptClientCert(bool on);       // a verified TLS client certificate authenticates
  // Called (on the server thread, lock not held) for every request with the function name
  // ("JobSchedule", "JobStatusGet", …, "" for the service root).
  void SetOnRequest(std::function<void(const MockRequest&, const std::string&)> hook);

  int Calls(const std::string& function) const;  // also "HEAD", "token_fetch", "csrf_403", "csrf_405", "401"
  std::string LastParam(const std::string& function, const std::string& param) const;
  std::string LastAuthSubject() const;  // client certificate subject of the last request

 private:
  struct Job {
    std::string template_name;
    size_t next = 0;
    bool cancelled = false;
    char last = 'S';
  };
  struct Prop {
    std::string name;
    std::string text;
    bool number = false;
  };
  using Entity = std::vector<Prop>;

  MockResponse Dispatch(const MockRequest& request, const std::string& function);
  MockResponse Single(const std::string& function, const std::string& type, const Entity& e) const;
  MockResponse Collection(const std::string& function, const std::string& type,
                          const std::vector<Entity>& rows) const;
  MockResponse GatewayError(int status, const std::string& code, const std::string& text) const;
  static MockResponse LoginPage(int status);

  mutable std::mutex mu_;
  std::string user_, password_;
  std::map<std::string, FakeTemplate> templates_;
  std::map<std::string, Job> jobs_;  // key: JobName (run count is fixed)
  std::map<std::string, std::string> sessions_;  // session id -> CSRF token ("" none yet)
  ResponseShape shape_ = ResponseShape::kEntity;
  bool head_allowed_ = true;
  int withhold_tokens_ = 0;
  bool csrf_reject_405_ = false;
  int drop_status_gets_ = 0;
  int busy_status_gets_ = 0;
  char cancelled_status_ = 'C';
  bool login_page_ = false;
  bool accept_client_cert_ = false;
  std::string server_error_function_;
  std::function<void(const MockRequest&, const std::string&)> hook_;
  std::map<std::string, int> calls_;
  std::map<std::string, std::map<std::string, std::string>> last_params_;
  std::string last_subject_;
  int job_counter_ = 0;
};

}  // namespace causeway::client::testing
