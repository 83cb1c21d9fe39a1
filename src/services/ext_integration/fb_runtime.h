// What the Focused Build module's endpoints share once it started: the domain, the link
// signer, the options of [ext_integration], and the two things that touch more than one layer:
// making a customizing current (domain + outbox destinations + store) and the base URL of the
// document links a save's pushes carry.
#pragma once

#include <toml++/toml.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "domain/workitems/work_items.h"
#include "exchange/destination.h"
#include "exchange/outbox.h"
#include "http/authority.h"
#include "http/message.h"
#include "security/user_directory.h"
#include "services/ext_integration/document_links.h"

namespace causeway::services::ext_integration {

// [ext_integration] of causeway.toml (docs/configuration.md).
struct FbOptions {
  bool demo = false;                              // demo customizing and the appendix sample
  std::string demo_tool_url = "http://127.0.0.1:8083";  // where the demo destination points
  std::string system_guid;                        // fixed SYSTEM_GUID; "" = generated once
  std::string link_base_url;                      // "" = [server] public_host, else the request's Host
  std::chrono::seconds link_validity{7200};
  int64_t max_document_bytes = 8 * 1024 * 1024;
  bool gateway_hub_detail = false;                // the guide's second errordetails entry
  std::string sap_client;                         // in link paths; "" = [server] default_client
  std::string system_id = "CWY";                  // [server] system_id (realm, authId)
  std::optional<workitems::Customizing> customizing;  // [ext_integration.customizing]
};

// Reads [ext_integration] (and [server] system_id, default_client). Errors name the key
// (CAUSEWAY/CONFIG/001, or the customizing's CAUSEWAY/FB/012 with target
// "ext_integration.customizing.…").
core::Result<FbOptions> ParseFbOptions(const toml::table& root);

// The outbox destination of an RFC destination: base URL from protocol, host, port and path
// prefix; Basic user and password (or the environment variable's value); TLS settings. What
// SM59 does not know (retry, timeouts, headers) comes from `base` (a configured
// [outbox.destinations.<name>] of the same name) or the outbox's defaults.
core::Result<exchange::Destination> ToOutboxDestination(const workitems::RfcDestination& d,
                                                        const exchange::DestinationInfo* base);

struct FbRuntime {
  store::Database* db = nullptr;
  const core::Clock* clock = nullptr;
  exchange::Outbox* outbox = nullptr;
  security::UserDirectory* users = nullptr;
  http::PublicHost public_host;
  FbOptions options;
  std::unique_ptr<workitems::PayloadBuilder> builder;
  std::unique_ptr<workitems::WorkItems> items;
  std::shared_ptr<const DocumentLinks> links;
  std::atomic<uint64_t> downloads{0}, downloads_refused{0};

  // Validates `c`, keeps the stored passwords of destinations sent without one, checks and
  // sets its destinations in the outbox, stores it durably and makes it current. Errors name
  // the field; nothing changes on an error. `based_on`: the document of Current() that `c` was
  // derived from (a section merged into it); if this node or another stored a newer one since,
  // nothing changes and the error is CAUSEWAY/FB/017 (merge into the new one and apply again).
  core::Status ApplyCustomizing(workitems::Customizing c, const std::string& user,
                                const std::string* based_on = nullptr);
  // The customizing in use with its stored form (empty when none is stored), read together.
  std::pair<std::shared_ptr<const workitems::Customizing>, std::string> Current();
  // Refreshes, derives the next customizing from the one stored (`change`, e.g. a section merged
  // in) and applies it based on that one; when another request (on this node or another) stored
  // one meanwhile, derives it again from that, so that a change answered is never undone by a
  // stale one. CAUSEWAY/FB/017 after kChangeAttempts; `change`'s own errors as they are.
  using CustomizingChange = std::function<core::Result<workitems::Customizing>(const workitems::Customizing&)>;
  core::Status ChangeCustomizing(const CustomizingChange& change, const std::string& user);
  static constexpr int kChangeAttempts = 16;  // only a storm of writers exhausts them
  // Makes the stored customizing current (domain and outbox destinations) when it is not the one
  // this node applied last: another node changed it. The module calls it about once a second
  // on a shared store, the control routes before they read or merge a section (so that a
  // balancer's next request, on another node, builds on the change just answered).
  core::Status Refresh();
  // The base of document links for pushes a request causes: link_base_url, else
  // http::BaseUrl (the public host, else the request's scheme and Host).
  std::string LinkBase(const http::Request& req) const;

 private:
  // `stored_document`: the customizing as stored by another node (applied, not stored again).
  core::Status ApplyLocked(workitems::Customizing c, const std::string& user, const std::string* stored_document,
                           const std::string* based_on = nullptr);

  std::mutex apply_mu_;           // one apply or refresh at a time
  std::string applied_document_;  // GUARDED_BY(apply_mu_): the stored form of the current customizing
};

}  // namespace causeway::services::ext_integration
