#include "domain/changes/master_repository.h"

#include <array>

#include "domain/changes/change_codec.h"

namespace causeway::changes::master {

using store::Value;

namespace {
constexpr std::array<std::string_view, 5> kKinds = {"tenant", "person", "group", "system", "workflow"};

core::Status Bump(store::Tx& tx) { return tx.Exec("UPDATE cx_master_version SET version = version + 1 WHERE id = 1"); }
}  // namespace

std::string_view KindName(Kind k) { return kKinds[static_cast<size_t>(k)]; }

core::Status Put(store::Tx& tx, std::string_view tenant, Kind kind, std::string_view id, const std::string& doc) {
  CW_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO cx_master (tenant, kind, id, doc) VALUES (?, ?, ?, ?) ON CONFLICT (tenant, kind, id) DO UPDATE SET "
      "doc = excluded.doc",
      {Value(std::string(tenant)), Value(std::string(KindName(kind))), Value(std::string(id)), Value(doc)}));
  return Bump(tx);
}

core::Status Delete(store::Tx& tx, std::string_view tenant, Kind kind, std::string_view id) {
  if (kind == Kind::kTenant) {
    CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM cx_master WHERE tenant = ? AND kind <> 'workflow'", {Value(std::string(tenant))}));
  } else {
    CW_RETURN_IF_ERROR(tx.Exec("DELETE FROM cx_master WHERE tenant = ? AND kind = ? AND id = ?",
                               {Value(std::string(tenant)), Value(std::string(KindName(kind))), Value(std::string(id))}));
  }
  return Bump(tx);
}

core::Status Serialize(store::Tx& tx) { return Bump(tx); }

core::Result<int64_t> Version(store::Tx& tx) {
  int64_t v = 0;
  CW_RETURN_IF_ERROR(tx.Query("SELECT version FROM cx_master_version WHERE id = 1", {},
                              [&](const store::Row& r) { v = r.Int(0); }));
  return v;
}

core::Result<Directory> Load(store::Tx& tx) {
  Directory d;
  d.workflows = DefaultWorkflows();
  CW_ASSIGN_OR_RETURN(d.version, Version(tx));
  struct RowData {
    std::string tenant, kind, id, doc;
  };
  std::vector<RowData> rows;
  // Tenants first, so that their items find them.
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT tenant, kind, id, doc FROM cx_master ORDER BY CASE WHEN kind = 'tenant' THEN 0 ELSE 1 END, tenant, kind, id",
      {}, [&](const store::Row& r) { rows.push_back({r.String(0), r.String(1), r.String(2), r.String(3)}); }));
  for (const RowData& row : rows) {
    if (row.kind == "workflow") {
      CW_ASSIGN_OR_RETURN(Workflow w, DecodeWorkflow(row.doc));
      d.workflows[w.change_type] = std::move(w);
      continue;
    }
    if (row.kind == "tenant") {
      CW_ASSIGN_OR_RETURN(std::string name, DecodeTenantName(row.doc));
      Tenant& t = d.tenants[row.tenant];
      t.id = row.tenant;
      t.name = std::move(name);
      continue;
    }
    auto it = d.tenants.find(row.tenant);
    if (it == d.tenants.end()) continue;
    Tenant& t = it->second;
    if (row.kind == "person") {
      CW_ASSIGN_OR_RETURN(Person p, DecodePerson(row.doc));
      t.people[p.id] = std::move(p);
    } else if (row.kind == "group") {
      CW_ASSIGN_OR_RETURN(Group g, DecodeGroup(row.doc));
      t.groups[g.id] = std::move(g);
    } else if (row.kind == "system") {
      CW_ASSIGN_OR_RETURN(ExternalSystem s, DecodeSystem(row.doc));
      t.systems[s.id] = std::move(s);
    }
  }
  return d;
}

}  // namespace causeway::changes::master
