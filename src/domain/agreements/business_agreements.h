// The business agreement operations behind BusinessAgreementReplicationIn: replicating one
// agreement (a message), reading agreements, and the business partners they need (the house's
// master data of domain/activities: business partners are one concept).
//
// Replicate stages its write into the current unit of work (store::Transact): the message
// processor commits it together with the message's status. Business errors are log items of
// severity 3 and the agreement is not touched; the result also says what was done.
//
// Thread-safe. Blocking (store reads and durable writes) where a function touches the store.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/activities/partner.h"
#include "domain/agreements/agreement.h"
#include "store/database.h"

namespace causeway::agreements {

class BusinessAgreements {
 public:
  BusinessAgreements(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Stages applying `request` into the current unit of work, or commits a unit of its own
  // (then `result` is complete on return). `result` is filled, from scratch, whenever the
  // staged write runs; it must live until the unit completed. Errors: the store's.
  core::Status Replicate(const ReplicationRequest& request, const std::string& user,
                         std::shared_ptr<ReplicationResult> result);

  // Agreements with an ID greater than `after_id`, by ID.
  core::Result<std::vector<BusinessAgreement>> List(std::string_view after_id, size_t limit);
  // By ID or UUID.
  core::Result<std::optional<BusinessAgreement>> Find(std::string_view id_or_uuid);

  core::Status UpsertPartner(const activities::Partner& p);
  core::Result<std::vector<activities::Partner>> ListPartners();
  // Inserts DemoPartners() that do not exist yet.
  core::Status SeedDemoPartners();

 private:
  store::Database& db_;
  const core::Clock& clock_;
};

// The demo's utility customers, contacts and an employee (business partners for agreements).
std::vector<activities::Partner> DemoPartners();

}  // namespace causeway::agreements
