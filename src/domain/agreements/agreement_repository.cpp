#include "domain/agreements/agreement_repository.h"

#include <cstdio>

#include "core/ascii.h"

namespace causeway::agreements::repository {
namespace {

core::Result<std::optional<BusinessAgreement>> FindWhere(store::Tx& tx, const char* where, std::string value, bool lock) {
  std::optional<std::string> doc;
  std::string sql = std::string("SELECT document FROM agreements WHERE ") + where + (lock ? " FOR UPDATE" : "");
  CW_RETURN_IF_ERROR(tx.Query(sql, {std::move(value)}, [&](const store::Row& r) { doc = r.String(0); }));
  if (!doc) return std::optional<BusinessAgreement>();
  CW_ASSIGN_OR_RETURN(BusinessAgreement a, DecodeAgreement(*doc));
  return std::optional<BusinessAgreement>(std::move(a));
}

}  // namespace

core::Result<std::optional<BusinessAgreement>> FindById(store::Tx& tx, std::string_view id, bool lock) {
  return FindWhere(tx, "id = ?", std::string(id), lock);
}

core::Result<std::optional<BusinessAgreement>> FindByUuid(store::Tx& tx, std::string_view uuid, bool lock) {
  return FindWhere(tx, "uuid = ?", core::ToLower(uuid), lock);
}

core::Status Insert(store::Tx& tx, const BusinessAgreement& a) {
  return tx.Exec(
      "INSERT INTO agreements (id, uuid, partner_id, change_state, revision, created_at, created_by, changed_at, "
      "changed_by, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {a.id, a.uuid, a.business_partner_id, a.change_state_id, a.revision, core::ToUnixMillis(a.created_at),
       a.created_by, core::ToUnixMillis(a.changed_at), a.changed_by, EncodeAgreement(a)});
}

core::Status Update(store::Tx& tx, const BusinessAgreement& a) {
  return tx.Exec(
      "UPDATE agreements SET partner_id = ?, change_state = ?, revision = ?, changed_at = ?, changed_by = ?, "
      "document = ? WHERE id = ?",
      {a.business_partner_id, a.change_state_id, a.revision, core::ToUnixMillis(a.changed_at), a.changed_by,
       EncodeAgreement(a), a.id});
}

core::Status Delete(store::Tx& tx, std::string_view id) {
  return tx.Exec("DELETE FROM agreements WHERE id = ?", {std::string(id)});
}

core::Result<std::vector<BusinessAgreement>> List(store::Tx& tx, std::string_view after_id, size_t limit) {
  std::vector<std::string> docs;
  CW_RETURN_IF_ERROR(tx.Query("SELECT document FROM agreements WHERE id > ? ORDER BY id LIMIT ?",
                              {std::string(after_id), static_cast<int64_t>(limit)},
                              [&](const store::Row& r) { docs.push_back(r.String(0)); }));
  std::vector<BusinessAgreement> out;
  for (const std::string& d : docs) {
    CW_ASSIGN_OR_RETURN(BusinessAgreement a, DecodeAgreement(d));
    out.push_back(std::move(a));
  }
  return out;
}

core::Result<std::string> DrawNumber(store::Tx& tx) {
  int64_t n = 0;
  CW_RETURN_IF_ERROR(tx.Query(
      "UPDATE agreement_number_ranges SET next_number = next_number + 1 WHERE object = 'BUAG' RETURNING next_number - 1",
      {}, [&](const store::Row& r) { n = r.Int(0); }));
  char buf[24];
  std::snprintf(buf, sizeof buf, "%012lld", static_cast<long long>(n));
  return std::string(buf);
}

}  // namespace causeway::agreements::repository
