#include "domain/changes/change_repository.h"

#include "core/base64.h"
#include "domain/changes/change_codec.h"
#include "domain/changes/change_errors.h"

namespace causeway::changes::repo {

using store::Value;

namespace {
Value V(std::string_view s) { return Value(std::string(s)); }

ExternalReference RefFromRow(const store::Row& r) {
  return {r.String(0), r.String(1), r.String(2), r.String(3), r.String(4), r.String(5)};
}

constexpr char kRefColumns[] = "SELECT id, change_id, system_id, external_id, external_status, external_entity_type "
                               "FROM cx_external_refs ";
}  // namespace

core::Result<std::optional<Change>> FindChange(store::Tx& tx, std::string_view tenant, std::string_view id) {
  std::optional<std::string> doc;
  CW_RETURN_IF_ERROR(tx.Query("SELECT doc FROM cx_changes WHERE tenant = ? AND id = ?", {V(tenant), V(id)},
                              [&](const store::Row& r) { doc = r.String(0); }));
  if (!doc) return std::optional<Change>();
  CW_ASSIGN_OR_RETURN(Change c, DecodeChange(*doc));
  return std::optional<Change>(std::move(c));
}

core::Status InsertChange(store::Tx& tx, std::string_view tenant, const Change& c) {
  return tx.Exec("INSERT INTO cx_changes (tenant, id, version, created_ms, updated_ms, doc) VALUES (?, ?, ?, ?, ?, ?)",
                 {V(tenant), Value(c.id), Value(c.version), Value(c.created_ms), Value(c.updated_ms),
                  Value(EncodeChange(c))});
}

core::Status UpdateChange(store::Tx& tx, std::string_view tenant, const Change& c, int64_t expected_version) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec(
      "UPDATE cx_changes SET version = ?, updated_ms = ?, doc = ? WHERE tenant = ? AND id = ? AND version = ?",
      {Value(c.version), Value(c.updated_ms), Value(EncodeChange(c)), V(tenant), Value(c.id), Value(expected_version)},
      &changed));
  if (changed != 1) return errors::ConcurrentChange(c.id);
  return core::Status::Ok();
}

core::Status ScanChanges(store::Tx& tx, std::string_view tenant, const std::function<bool(const Change&)>& visit) {
  core::Status failed;
  bool stop = false;
  CW_RETURN_IF_ERROR(tx.Query("SELECT doc FROM cx_changes WHERE tenant = ? ORDER BY id", {V(tenant)},
                              [&](const store::Row& r) {
                                if (stop || !failed.ok()) return;
                                auto c = DecodeChange(r.Text(0));
                                if (!c.ok()) failed = c.error();
                                else stop = !visit(*c);
                              }));
  return failed;
}

core::Result<std::vector<Comment>> Comments(store::Tx& tx, std::string_view tenant, std::string_view change_id) {
  std::vector<Comment> out;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT id, body, privacy, is_system, created_ms, submitter, seq FROM cx_comments "
      "WHERE tenant = ? AND change_id = ? ORDER BY seq",
      {V(tenant), V(change_id)}, [&](const store::Row& r) {
        out.push_back({r.String(0), r.String(1), r.String(2), r.Int(3) != 0, r.Int(4), r.String(5), r.Int(6)});
      }));
  return out;
}

core::Status InsertComment(store::Tx& tx, std::string_view tenant, std::string_view change_id, const Comment& c) {
  return tx.Exec(
      "INSERT INTO cx_comments (tenant, change_id, id, seq, created_ms, body, privacy, is_system, submitter) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {V(tenant), V(change_id), Value(c.id), Value(c.seq), Value(c.created_ms), Value(c.body), Value(c.privacy),
       Value(int64_t{c.is_system ? 1 : 0}), Value(c.submitter)});
}

core::Result<std::vector<ExternalReference>> RefsOfChange(store::Tx& tx, std::string_view tenant,
                                                          std::string_view change_id) {
  std::vector<ExternalReference> out;
  CW_RETURN_IF_ERROR(tx.Query(std::string(kRefColumns) + "WHERE tenant = ? AND change_id = ? ORDER BY system_id",
                              {V(tenant), V(change_id)}, [&](const store::Row& r) { out.push_back(RefFromRow(r)); }));
  return out;
}

core::Result<std::optional<ExternalReference>> FindRefByExternalId(store::Tx& tx, std::string_view tenant,
                                                                   std::string_view system_id,
                                                                   std::string_view external_id) {
  std::optional<ExternalReference> out;
  CW_RETURN_IF_ERROR(tx.Query(sql::kRefByExternalId, {V(tenant), V(system_id), V(external_id)}, [&](const store::Row& r) {
                                if (!out) out = RefFromRow(r);
                              }));
  return out;
}

core::Result<std::vector<ExternalReference>> ListRefs(store::Tx& tx, std::string_view tenant, std::string_view change_id,
                                                      std::string_view system_id, std::string_view external_id) {
  std::vector<ExternalReference> out;
  std::string sql = std::string(kRefColumns) + "WHERE tenant = ?";
  std::vector<Value> params{V(tenant)};
  for (auto [column, value] : {std::pair<const char*, std::string_view>{"change_id", change_id},
                               {"system_id", system_id},
                               {"external_id", external_id}}) {
    if (value.empty()) continue;
    sql += std::string(" AND ") + column + " = ?";
    params.push_back(V(value));
  }
  CW_RETURN_IF_ERROR(tx.Query(sql + " ORDER BY change_id, system_id", params,
                              [&](const store::Row& r) { out.push_back(RefFromRow(r)); }));
  return out;
}

core::Status UpsertRef(store::Tx& tx, std::string_view tenant, const ExternalReference& r) {
  return tx.Exec(
      "INSERT INTO cx_external_refs (tenant, change_id, system_id, id, external_id, external_status, "
      "external_entity_type) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, change_id, system_id) DO UPDATE SET "
      "external_id = excluded.external_id, external_status = excluded.external_status, "
      "external_entity_type = excluded.external_entity_type",
      {V(tenant), Value(r.change_id), Value(r.system_id), Value(r.id), Value(r.external_id), Value(r.external_status),
       Value(r.external_entity_type)});
}

core::Status DeleteRef(store::Tx& tx, std::string_view tenant, std::string_view change_id, std::string_view system_id) {
  return tx.Exec("DELETE FROM cx_external_refs WHERE tenant = ? AND change_id = ? AND system_id = ?",
                 {V(tenant), V(change_id), V(system_id)});
}

core::Status InsertFile(store::Tx& tx, std::string_view tenant, const FileInfo& f, const std::string& content) {
  return tx.Exec(
      "INSERT INTO cx_files (tenant, guid, name, content_type, length, creator, created_ms, content) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {V(tenant), Value(f.guid), Value(f.name), Value(f.content_type), Value(f.length), Value(f.creator),
       Value(f.created_ms), Value(core::Base64Encode(content))});
}

core::Result<std::optional<FileInfo>> FindFile(store::Tx& tx, std::string_view tenant, std::string_view guid,
                                               std::string* content) {
  std::optional<FileInfo> out;
  bool damaged = false;
  const std::string sql = content ? "SELECT guid, name, content_type, length, creator, created_ms, content FROM cx_files "
                                    "WHERE tenant = ? AND guid = ?"
                                  : "SELECT guid, name, content_type, length, creator, created_ms FROM cx_files "
                                    "WHERE tenant = ? AND guid = ?";
  CW_RETURN_IF_ERROR(tx.Query(sql, {V(tenant), V(guid)}, [&](const store::Row& r) {
    out = FileInfo{r.String(0), r.String(1), r.String(2), r.String(4), r.Int(3), r.Int(5)};
    if (content && !core::Base64Decode(r.Text(6), content)) damaged = true;
  }));
  if (damaged) return core::MakeError(core::Code::kInternal, "CAUSEWAY/CX", "090", "Stored file is damaged");
  return out;
}

core::Result<int64_t> TakeNumbers(store::Tx& tx, std::string_view name, int64_t n) {
  std::optional<int64_t> next;
  CW_RETURN_IF_ERROR(tx.Query("UPDATE cx_counters SET next = next + ? WHERE name = ? RETURNING next",
                              {Value(n), V(name)}, [&](const store::Row& r) { next = r.Int(0); }));
  if (!next) return core::MakeError(core::Code::kInternal, "CAUSEWAY/CX", "091", "Counter " + std::string(name) + " is missing");
  return *next - n;
}

}  // namespace causeway::changes::repo
