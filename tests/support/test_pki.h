// A throwaway PKI for TLS tests, generated at run time with the openssl CLI into a fresh
// temporary directory (removed by the destructor): a CA, a server certificate for 127.0.0.1 and
// localhost, and a client certificate (CN=COMM_USER), both signed by the CA. Two instances have
// two unrelated CAs, so one serves as the "unknown CA" of the other. Library cw_test_pki.
#pragma once

#include <string>

namespace causeway::testing {

class TestPki {
 public:
  TestPki();  // ok() is false when openssl failed
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  bool ok() const { return ok_; }
  std::string dir() const { return dir_; }
  std::string ca_cert() const { return dir_ + "/ca.pem"; }
  std::string server_cert() const { return dir_ + "/server.pem"; }
  std::string server_key() const { return dir_ + "/server.key"; }
  std::string client_cert() const { return dir_ + "/client.pem"; }
  std::string client_key() const { return dir_ + "/client.key"; }

 private:
  std::string dir_;
  bool ok_ = false;
};

}  // namespace causeway::testing
