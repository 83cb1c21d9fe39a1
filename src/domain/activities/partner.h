// Business partners that tasks refer to: accounts, contacts and employees (C4C master data,
// kept by Causeway). Persistence takes the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace causeway::activities {

enum class PartnerKind { kAccount, kContact, kEmployee };
const char* PartnerKindName(PartnerKind k);  // "account", "contact", "employee"
std::optional<PartnerKind> PartnerKindFromName(std::string_view s);

struct Partner {
  std::string id;  // BusinessPartnerInternalID, e.g. "MC2471"
  PartnerKind kind = PartnerKind::kAccount;
  std::string name;
  std::string email;        // may be empty
  std::string employee_id;  // employees only, e.g. "E0001"
};

namespace partners {
core::Result<std::optional<Partner>> Find(store::Tx& tx, std::string_view id);
core::Result<std::optional<Partner>> FindByEmployeeId(store::Tx& tx, std::string_view employee_id);
// All partners with this e-mail address (it identifies one only when it is unique).
core::Result<std::vector<Partner>> FindByEmail(store::Tx& tx, std::string_view email);
core::Status Upsert(store::Tx& tx, const Partner& p);
core::Result<std::vector<Partner>> List(store::Tx& tx);
}  // namespace partners

// The demo master data (the partners of SAP's ManageTaskActivityIn examples and the spec's
// sketches), inserted when missing.
std::vector<Partner> DemoPartners();

}  // namespace causeway::activities
