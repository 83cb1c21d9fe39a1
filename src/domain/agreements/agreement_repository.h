// Persistence of business agreements and their number range, in the caller's transaction. Each
// agreement is one row: the full state as a JSON document (agreement_codec.cpp) plus the columns
// lookups use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/agreements/agreement.h"
#include "store/database.h"
#include "store/migration.h"

namespace causeway::agreements {

// The embedded migrations of migrations/*.sql (range 600-699).
const std::vector<store::Migration>& AgreementMigrations();

namespace repository {
// `lock` (PostgreSQL only: SQLite has no FOR UPDATE, and its single writer needs no row lock):
// take the row's lock inside a write, so that two transactions changing one agreement
// serialise.
core::Result<std::optional<BusinessAgreement>> FindById(store::Tx& tx, std::string_view id, bool lock = false);
core::Result<std::optional<BusinessAgreement>> FindByUuid(store::Tx& tx, std::string_view uuid, bool lock = false);
core::Status Insert(store::Tx& tx, const BusinessAgreement& a);
core::Status Update(store::Tx& tx, const BusinessAgreement& a);
core::Status Delete(store::Tx& tx, std::string_view id);
// Agreements with id > after_id, by id, at most `limit`.
core::Result<std::vector<BusinessAgreement>> List(store::Tx& tx, std::string_view after_id, size_t limit);
// The next number of the internal range as 12 digits.
core::Result<std::string> DrawNumber(store::Tx& tx);
}  // namespace repository

// The JSON document of an agreement (also what the control plane shows).
std::string EncodeAgreement(const BusinessAgreement& a);
core::Result<BusinessAgreement> DecodeAgreement(std::string_view json);

}  // namespace causeway::agreements
