// One replication message applied to the store inside the caller's transaction: identification,
// action codes, change-state checks, the business partner prerequisite and the child lists
// (README.md has the rules). Business errors go to the result's log and nothing is written; a
// returned error is a store error. Internal to the domain (BusinessAgreements::Replicate runs it).
#pragma once

#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "domain/agreements/agreement.h"
#include "store/database.h"

namespace causeway::agreements {

// Applies `change` in `tx`. `lock_rows`: PostgreSQL row locks on the agreement read (see
// repository::FindById). Fills `result` from scratch.
core::Status ApplyReplication(store::Tx& tx, const AgreementChange& change, const std::string& user,
                              core::SystemTime now, bool lock_rows, ReplicationResult& result);

}  // namespace causeway::agreements
