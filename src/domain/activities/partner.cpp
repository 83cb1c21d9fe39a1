#include "domain/activities/partner.h"

namespace causeway::activities {
namespace {

constexpr char kSelect[] = "SELECT partner_id, kind, name, email, employee_id FROM activity_partners ";

Partner FromRow(const store::Row& r) {
  return Partner{r.String(0), PartnerKindFromName(r.Text(1)).value_or(PartnerKind::kAccount), r.String(2),
                 r.String(3), r.String(4)};
}

core::Result<std::vector<Partner>> Query(store::Tx& tx, const std::string& where, std::initializer_list<store::Value> params) {
  std::vector<Partner> out;
  CW_RETURN_IF_ERROR(tx.Query(kSelect + where, params, [&](const store::Row& r) { out.push_back(FromRow(r)); }));
  return out;
}

core::Result<std::optional<Partner>> First(core::Result<std::vector<Partner>> all) {
  if (!all.ok()) return std::move(all).error();
  if (all->empty()) return std::optional<Partner>();
  return std::optional<Partner>(std::move(all->front()));
}

}  // namespace

const char* PartnerKindName(PartnerKind k) {
  switch (k) {
    case PartnerKind::kAccount: return "account";
    case PartnerKind::kContact: return "contact";
    case PartnerKind::kEmployee: return "employee";
  }
  return "account";
}

std::optional<PartnerKind> PartnerKindFromName(std::string_view s) {
  if (s == "account") return PartnerKind::kAccount;
  if (s == "contact") return PartnerKind::kContact;
  if (s == "employee") return PartnerKind::kEmployee;
  return std::nullopt;
}

namespace partners {

core::Result<std::optional<Partner>> Find(store::Tx& tx, std::string_view id) {
  return First(Query(tx, "WHERE partner_id = ?", {std::string(id)}));
}

core::Result<std::optional<Partner>> FindByEmployeeId(store::Tx& tx, std::string_view employee_id) {
  return First(Query(tx, "WHERE employee_id = ? AND kind = 'employee'", {std::string(employee_id)}));
}

core::Result<std::vector<Partner>> FindByEmail(store::Tx& tx, std::string_view email) {
  return Query(tx, "WHERE email = ? ORDER BY partner_id", {std::string(email)});
}

core::Status Upsert(store::Tx& tx, const Partner& p) {
  return tx.Exec(
      "INSERT INTO activity_partners (partner_id, kind, name, email, employee_id) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (partner_id) DO UPDATE SET kind = excluded.kind, name = excluded.name, email = excluded.email, "
      "employee_id = excluded.employee_id",
      {p.id, std::string(PartnerKindName(p.kind)), p.name, p.email, p.employee_id});
}

core::Result<std::vector<Partner>> List(store::Tx& tx) { return Query(tx, "ORDER BY partner_id", {}); }

}  // namespace partners

std::vector<Partner> DemoPartners() {
  using K = PartnerKind;
  return {
      {"MC2471", K::kEmployee, "Mia Carter", "mia.carter@example.com", "E0001"},
      {"MC2472", K::kEmployee, "Ben Ortiz", "ben.ortiz@example.com", "E0002"},
      {"8000001", K::kEmployee, "Sales Representative", "sales.rep@example.com", "E0003"},
      {"MC9785", K::kAccount, "Silverstar", "", ""},
      {"1000123", K::kAccount, "Porter Logistics", "", ""},
      {"MCP6049", K::kContact, "Paula Chen", "paula.chen@example.com", ""},
      {"MCPB9785", K::kContact, "Bruno Silva", "", ""},
      {"MCPC9785", K::kContact, "Clara Silva", "", ""},
      {"MCP17101", K::kContact, "Dana Weiss", "", ""},
      {"MCP17102", K::kContact, "Eli Novak", "", ""},
      {"MDECP9786", K::kContact, "Femke de Vries", "", ""},
      {"MCP8300", K::kContact, "Gus Patel", "", ""},
      {"MCP60500", K::kContact, "Hana Ito", "", ""},
  };
}

}  // namespace causeway::activities
