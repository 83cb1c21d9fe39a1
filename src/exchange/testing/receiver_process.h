// Runs tests/support/receiver.py (the scriptable HTTP receiver) as a child process for a test
// and drives its control API. The child listens on 127.0.0.1, port 0; it is stopped (SIGTERM)
// by the destructor and killed by the kernel if the test process dies first.
// Control calls are synchronous (their own libcurl handle, not the client under test).
// Thread-safe except for construction and destruction.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "exchange/header_list.h"

namespace causeway::exchange::testing {

struct ReceiverOptions {
  std::string tls_cert, tls_key;   // PEM; both set: HTTPS
  std::string require_basic;       // "user:password": other requests get 401
  std::vector<std::string> rules;  // JSON objects, see tests/support/README.md
};

struct ReceiverStats {
  int connections = 0;    // connections that carried at least one recorded request
  int requests = 0;
  int in_flight = 0;      // recorded requests not yet answered (or hung, reset)
  int max_in_flight = 0;  // the most at once since start or reset
};

struct ReceivedRequest {
  int seq = 0;
  std::string method, path, query, body;
  HeaderList headers;
  int connection = 0;  // the receiver's id of the connection it came on
  int attempt = 0;     // 1 for the first request to this path, 2 for the next, …
  bool authorized = true;
};

class ReceiverProcess {
 public:
  explicit ReceiverProcess(ReceiverOptions options = {});
  ~ReceiverProcess();
  ReceiverProcess(const ReceiverProcess&) = delete;
  ReceiverProcess& operator=(const ReceiverProcess&) = delete;

  bool ok() const { return port_ != 0; }
  const std::string& error() const { return error_; }  // why !ok()
  uint16_t port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:<port>" (https with TLS)

  core::Status AddRules(std::string_view json);  // one rule object or an array of them
  core::Status ClearRules();
  core::Status Reset();                          // rules back to the options', records cleared
  core::Status OpenGate(std::string_view name);
  core::Result<ReceiverStats> Stats();
  core::Result<std::vector<ReceivedRequest>> Requests(std::string_view path = "");
  // Blocks (in the receiver, a long poll) until at least `in_flight` requests are in flight and
  // `requests` were recorded; the error is kUnavailable on timeout.
  core::Result<ReceiverStats> WaitFor(int in_flight, int requests, std::chrono::seconds timeout);

 private:
  core::Result<std::string> Control(const std::string& method, const std::string& path,
                                    std::string_view body = {}, long* status = nullptr);

  ReceiverOptions options_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string error_;
};

}  // namespace causeway::exchange::testing
