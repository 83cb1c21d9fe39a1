#include "domain/agreements/business_agreements.h"

#include "core/ascii.h"
#include "domain/agreements/agreement_repository.h"
#include "domain/agreements/replication.h"
#include "store/unit_of_work.h"

namespace causeway::agreements {

core::Status BusinessAgreements::Replicate(const ReplicationRequest& request, const std::string& user,
                                           std::shared_ptr<ReplicationResult> result) {
  // PostgreSQL: the agreement row is locked while it changes (two messages naming it by ID and
  // by UUID are two queues); SQLite's one writer serialises anyway.
  const bool lock = db_.dialect() == store::Dialect::kPostgres;
  return store::Transact(db_, [&](store::UnitOfWork& unit) {
    unit.Add([this, change = request.agreement, user, result, lock](store::Tx& tx) {
      return ApplyReplication(tx, change, user, clock_.Now(), lock, *result);
    });
    return core::Status::Ok();
  });
}

core::Result<std::vector<BusinessAgreement>> BusinessAgreements::List(std::string_view after_id, size_t limit) {
  std::vector<BusinessAgreement> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, repository::List(tx, after_id, limit));
    return core::Status::Ok();
  }));
  return out;
}

core::Result<std::optional<BusinessAgreement>> BusinessAgreements::Find(std::string_view id_or_uuid) {
  std::optional<BusinessAgreement> out;
  const std::string key(core::Trim(id_or_uuid));
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, repository::FindById(tx, key));
    if (!out && key.size() == 36) {
      CW_ASSIGN_OR_RETURN(out, repository::FindByUuid(tx, key));
    }
    return core::Status::Ok();
  }));
  return out;
}

core::Status BusinessAgreements::UpsertPartner(const activities::Partner& p) {
  return db_.Write([&](store::Tx& tx) { return activities::partners::Upsert(tx, p); });
}

core::Result<std::vector<activities::Partner>> BusinessAgreements::ListPartners() {
  std::vector<activities::Partner> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, activities::partners::List(tx));
    return core::Status::Ok();
  }));
  return out;
}

core::Status BusinessAgreements::SeedDemoPartners() {
  return db_.Write([&](store::Tx& tx) -> core::Status {
    for (const activities::Partner& p : DemoPartners()) {
      CW_ASSIGN_OR_RETURN(auto existing, activities::partners::Find(tx, p.id));
      if (!existing) CW_RETURN_IF_ERROR(activities::partners::Upsert(tx, p));
    }
    return core::Status::Ok();
  });
}

std::vector<activities::Partner> DemoPartners() {
  using K = activities::PartnerKind;
  return {
      {"UC100001", K::kAccount, "Harbor Street Bakery", "", ""},
      {"UC100002", K::kAccount, "Mira Jensen", "mira.jensen@example.com", ""},
      {"UC100003", K::kAccount, "Northwind Apartments", "", ""},
      {"UCP20001", K::kContact, "Tom Berger", "tom.berger@example.com", ""},
      {"UCP20002", K::kContact, "Lea Novak", "", ""},
      {"UE0101", K::kEmployee, "Utility Service Agent", "service.agent@example.com", "E0101"},
  };
}

}  // namespace causeway::agreements
