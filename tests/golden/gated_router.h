// The real security gate in front of an http::Router, as the server builds it, for golden runners
// that send every case through the router (task_activity/, business_agreement/). Users, all with
// the password "Welcome1!": `user` (scenario `scenario`, which opens the gate's `guard_service`),
// NOARR (no scenario) and ADMIN (CAUSEWAY_CONTROL, the control plane). Sessions and logon
// lockouts run on `clock`, which must outlive the GatedRouter. Not thread-safe; not movable
// (the router points at the guard, the guard at the users).
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "http/router.h"
#include "security/gateway_guard.h"
#include "security/session_codec.h"
#include "security/user_directory.h"

namespace causeway::golden {

class GatedRouter {
 public:
  GatedRouter(const core::Clock& clock, const std::string& user, const std::string& scenario,
              const std::string& guard_service);
  GatedRouter(const GatedRouter&) = delete;
  GatedRouter& operator=(const GatedRouter&) = delete;

  http::Router& router() { return *router_; }
  security::UserDirectory& users() { return *users_; }

 private:
  std::unique_ptr<security::UserDirectory> users_;
  std::unique_ptr<security::SessionCodec> sessions_;
  std::unique_ptr<security::GatewayGuard> guard_;
  std::unique_ptr<http::Router> router_;
};

}  // namespace causeway::golden
