#include "services/ext_integration/fb_runtime.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cstdlib>

#include "domain/workitems/demo_data.h"
#include "domain/workitems/workitems_errors.h"
#include "services/common/config_table.h"
#include "services/ext_integration/customizing_codec.h"

namespace causeway::services::ext_integration {
core::Result<FbOptions> ParseFbOptions(const toml::table& root) {
  FbOptions o;
  if (const toml::table* server = root["server"].as_table()) {
    o.system_id = (*server)["system_id"].value_or(o.system_id);
    o.sap_client = (*server)["default_client"].value_or(std::string("100"));
  } else {
    o.sap_client = "100";
  }
  CW_ASSIGN_OR_RETURN(ConfigTable section, ConfigTable::Section(root, "ext_integration"));
  CW_RETURN_IF_ERROR(section.Bool("demo", o.demo));
  CW_RETURN_IF_ERROR(section.String("demo_tool_url", o.demo_tool_url));
  CW_RETURN_IF_ERROR(section.String("system_guid", o.system_guid));
  CW_RETURN_IF_ERROR(section.String("link_base_url", o.link_base_url));
  int64_t validity = o.link_validity.count();
  CW_RETURN_IF_ERROR(section.Int("link_validity_s", 60, 366 * 86400, validity));
  o.link_validity = std::chrono::seconds(validity);
  CW_RETURN_IF_ERROR(section.Int("max_document_bytes", 1, int64_t{1} << 30, o.max_document_bytes));
  CW_RETURN_IF_ERROR(section.Bool("gateway_hub_detail", o.gateway_hub_detail));
  CW_RETURN_IF_ERROR(section.String("sap_client", o.sap_client));
  section.Known({"customizing"});
  CW_RETURN_IF_ERROR(section.Done());
  if (!workitems::DemoToolDestination(o.demo_tool_url))
    return section.Error("demo_tool_url", "must be http(s)://host[:port][/path], port 1-65535");
  if (!o.link_base_url.empty() && o.link_base_url.rfind("http://", 0) != 0 && o.link_base_url.rfind("https://", 0) != 0)
    return section.Error("link_base_url", "must start with http:// or https://");
  while (!o.link_base_url.empty() && o.link_base_url.back() == '/') o.link_base_url.pop_back();
  if (!o.system_guid.empty() && !workitems::IsUpperHexGuid(o.system_guid))
    return section.Error("system_guid", "must be 32 upper-case hexadecimal characters");
  if (o.sap_client.size() != 3 || o.sap_client.find_first_not_of("0123456789") != std::string::npos)
    return section.Error("sap_client", "must be three digits");
  if (const toml::node* c = section.table() ? section.table()->get("customizing") : nullptr) {
    if (!c->is_table()) return section.Error("customizing", "must be a table");
    if (c->as_table()->empty())
      return section.Error("customizing",
                           "is empty: leave the table out, or give the whole customizing (process types, destinations, "
                           "mappings; GET /_causeway/fb/customizing shows one)");
    CW_ASSIGN_OR_RETURN(workitems::Customizing customizing,
                        CustomizingFromToml(*c->as_table(), "ext_integration.customizing"));
    core::Status valid = workitems::Validate(customizing);
    if (!valid.ok()) {
      core::Error e = valid.error();
      e.target = "ext_integration.customizing." + e.target;
      e.text = "[ext_integration.customizing] " + e.text;
      return e;
    }
    o.customizing = std::move(customizing);
  }
  return o;
}

core::Result<exchange::Destination> ToOutboxDestination(const workitems::RfcDestination& d,
                                                        const exchange::DestinationInfo* base) {
  exchange::Destination out;
  out.name = d.name;
  out.base_url = d.BaseUrl();
  out.user = d.user;
  out.password = d.password;
  const std::string at = "destinations[" + d.name + "]";
  if (out.password.empty() && !d.password_env.empty()) {
    const char* value = std::getenv(d.password_env.c_str());
    if (!value) return workitems::BadCustomizing(at + ".password_env", "environment variable " + d.password_env + " is not set");
    out.password = exchange::Secret(value);
  }
  out.ca_file = d.ca_file;
  out.insecure = d.insecure;
  out.max_concurrent = d.max_concurrent;
  if (base) {
    out.retry = base->retry;
    out.connect_timeout = base->connect_timeout;
    out.total_timeout = base->total_timeout;
  }
  core::Status st = exchange::ValidateDestination(out);
  if (!st.ok()) return workitems::BadCustomizing(at + "." + st.error().target, st.error().text);
  return out;
}

core::Status FbRuntime::ApplyCustomizing(workitems::Customizing c, const std::string& user,
                                         const std::string* based_on) {
  std::lock_guard lock(apply_mu_);
  // Another request of this node applied one since `c` was derived: no need to ask the store.
  if (based_on && *based_on != applied_document_) return workitems::CustomizingChangedMeanwhile();
  return ApplyLocked(std::move(c), user, nullptr, based_on);
}

core::Status FbRuntime::ChangeCustomizing(const CustomizingChange& change, const std::string& user) {
  for (int attempt = 1;; ++attempt) {
    CW_RETURN_IF_ERROR(Refresh());  // another node may have stored one within the last second
    auto [current, based_on] = Current();
    CW_ASSIGN_OR_RETURN(workitems::Customizing next, change(*current));
    core::Status st = ApplyCustomizing(std::move(next), user, &based_on);
    if (st.ok() || !workitems::IsCustomizingChangedMeanwhile(st.error()) || attempt == kChangeAttempts) return st;
  }
}

std::pair<std::shared_ptr<const workitems::Customizing>, std::string> FbRuntime::Current() {
  std::lock_guard lock(apply_mu_);
  return {items->customizing(), applied_document_};
}

core::Status FbRuntime::Refresh() {
  std::lock_guard lock(apply_mu_);
  CW_ASSIGN_OR_RETURN(auto stored, items->StoredCustomizing());
  if (!stored || stored->document == applied_document_) return core::Status::Ok();
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(stored->document, ec);
  if (ec) return workitems::StoreInconsistent("the stored customizing is not JSON");
  CW_ASSIGN_OR_RETURN(workitems::Customizing c, CustomizingFromJson(v, "stored customizing"));
  return ApplyLocked(std::move(c), stored->changed_by, &stored->document);
}

core::Status FbRuntime::ApplyLocked(workitems::Customizing c, const std::string& user,
                                    const std::string* stored_document, const std::string* based_on) {
  std::shared_ptr<const workitems::Customizing> current = items->customizing();
  for (auto& d : c.destinations) {
    if (!d.password.empty() || !d.password_env.empty()) continue;
    if (const workitems::RfcDestination* old = current->FindDestination(d.name)) {
      d.password = old->password;
      d.password_env = old->password_env;
    }
  }
  CW_RETURN_IF_ERROR(workitems::Validate(c));
  std::vector<exchange::Destination> destinations;
  std::vector<exchange::DestinationInfo> infos;
  if (outbox) infos = outbox->Destinations();
  for (const auto& d : c.destinations) {
    const exchange::DestinationInfo* base = nullptr;
    for (const auto& i : infos)
      if (i.name == d.name) base = &i;
    CW_ASSIGN_OR_RETURN(exchange::Destination od, ToOutboxDestination(d, base));
    destinations.push_back(std::move(od));
  }
  std::string document;
  if (stored_document) {
    document = *stored_document;
    CW_RETURN_IF_ERROR(items->UseCustomizing(std::move(c)));
    spdlog::info("focused build: customizing stored by {} applied", user);
  } else {
    document = boost::json::serialize(CustomizingToJson(c, /*with_secrets=*/true));
    CW_RETURN_IF_ERROR(items->SaveCustomizing(std::move(c), document, user, based_on));
  }
  applied_document_ = std::move(document);
  if (outbox)
    for (auto& d : destinations) CW_RETURN_IF_ERROR(outbox->SetDestination(std::move(d)));
  return core::Status::Ok();
}

std::string FbRuntime::LinkBase(const http::Request& req) const {
  if (!options.link_base_url.empty()) return options.link_base_url;
  return http::BaseUrl(req, public_host);
}

}  // namespace causeway::services::ext_integration
