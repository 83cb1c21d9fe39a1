// An in-process HTTP(S) server for client tests (Boost.Beast on its own thread, port 0 on
// 127.0.0.1). Every request goes to a handler function; a response may ask for the connection to
// be dropped without an answer (to imitate a lost connection).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace causeway::client::testing {

struct MockRequest {
  std::string method;
  std::string target;  // path?query as sent
  std::string path;    // percent-decoded path
  std::map<std::string, std::string> headers;  // lower-case names
  std::map<std::string, std::string> query;    // percent-decoded
  std::string client_cert_subject;             // TLS client certificate subject, "" if none

  std::string Header(const std::string& lower_name) const;
  std::string Query(const std::string& name) const;
};

struct MockResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool drop_connection = false;  // close the socket without answering
};

using MockHandler = std::function<MockResponse(const MockRequest&)>;

struct MockTls {
  std::string cert_file, key_file;  // server certificate chain and key (PEM)
  std::string client_ca_file;       // when set, a client certificate signed by it is required
};

class MockHttpServer {
 public:
  // Starts listening before returning. The handler runs on the server thread.
  explicit MockHttpServer(MockHandler handler, std::optional<MockTls> tls = std::nullopt);
  ~MockHttpServer();
  MockHttpServer(const MockHttpServer&) = delete;
  MockHttpServer& operator=(const MockHttpServer&) = delete;

  uint16_t port() const;
  // "http://127.0.0.1:<port>" or "https://127.0.0.1:<port>".
  std::string BaseUrl() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Percent-decodes a URL component ('+' stays '+').
std::string PercentDecode(std::string_view text);

}  // namespace causeway::client::testing
