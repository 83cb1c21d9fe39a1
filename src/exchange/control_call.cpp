#include "exchange/control_call.h"

#include <boost/json.hpp>
#include <iostream>

#include "core/ascii.h"
#include "exchange/curl_http_client.h"

namespace causeway::exchange {

core::Result<ControlAnswer> CallControl(const ControlCall& call, const std::string& method, const std::string& path,
                                        const std::string& body) {
  auto d = std::make_shared<Destination>();
  d->name = "control";
  d->base_url = call.base_url;
  d->user = call.user;
  d->password = Secret(call.password);
  d->ca_file = call.ca_file;
  d->insecure = call.insecure;
  d->max_answer_bytes = 64u << 20;
  d->total_timeout = std::chrono::seconds(120);  // a large listing or upload on a busy server
  d->idempotency_header.clear();
  CW_RETURN_IF_ERROR(ValidateDestination(*d));
  OutboundRequest req;
  req.destination = d;
  req.method = method;
  req.path = path;
  req.body = body;
  req.headers.Set("Accept", "application/json");
  if (!body.empty()) req.headers.Set("Content-Type", "application/json");
  CurlHttpClient http;
  HttpOutcome out = http.SendAndWait(std::move(req));
  if (!out.answered())
    return core::MakeError(core::Code::kUnavailable, "CAUSEWAY/EXCHANGE", "004",
                           std::string(TransportErrorName(out.error)) + ": " + out.error_text);
  return ControlAnswer{out.status, std::move(out.body), out.headers.Get("Content-Type")};
}

int PrintControlAnswer(const core::Result<ControlAnswer>& answer) {
  if (!answer.ok()) {
    std::cerr << "causeway: " << answer.error().text << "\n";
    return answer.error().code == core::Code::kBadRequest ? 2 : 1;
  }
  if (answer->status >= 200 && answer->status < 300) {
    // The control plane answers JSON (and a stored payload as the XML it was): an HTML page came
    // from something in between (an SSO proxy's login page answers 200), and a script must not
    // take it for a retry or a handover done; nor a JSON answer that does not parse.
    const std::string type = core::ToLower(answer->content_type);
    boost::system::error_code ec;
    if (type.find("json") != std::string::npos && !answer->body.empty()) (void)boost::json::parse(answer->body, ec);
    if (type.find("html") != std::string::npos || ec) {
      std::cerr << "causeway: HTTP " << answer->status << " with an answer that is not the control plane's ("
                << (ec ? "broken JSON" : answer->content_type)
                << "; a login page or a proxy between?): " << answer->body.substr(0, 200) << "\n";
      return 1;
    }
    std::cout << answer->body << "\n";
    return 0;
  }
  std::cerr << "causeway: HTTP " << answer->status << " " << answer->body << "\n";
  if (answer->status == 404) return 4;
  return answer->status >= 400 && answer->status < 500 ? 3 : 1;
}

}  // namespace causeway::exchange
