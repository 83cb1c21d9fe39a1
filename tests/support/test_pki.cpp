#include "tests/support/test_pki.h"

#include <cstdlib>
#include <filesystem>

namespace causeway::testing {

TestPki::TestPki() {
  char tmpl[] = "/tmp/cw_pki_XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return;
  dir_ = tmpl;
  const std::string d = dir_;
  const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  const std::string script =
      "cd '" + d + "' && "
      "openssl req -x509" + key + " -keyout ca.key -out ca.pem -days 2 -subj /CN=CausewayTestCA"
      " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign && "
      "openssl req" + key + " -keyout server.key -out server.csr -subj /CN=127.0.0.1 && "
      "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth\\n' > server.ext && "
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
      " -extfile server.ext -out server.pem && "
      "openssl req" + key + " -keyout client.key -out client.csr -subj /CN=COMM_USER && "
      "printf 'extendedKeyUsage=clientAuth\\n' > client.ext && "
      "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
      " -extfile client.ext -out client.pem";
  ok_ = std::system(("(" + script + ") >/dev/null 2>&1").c_str()) == 0;
}

TestPki::~TestPki() {
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

}  // namespace causeway::testing
