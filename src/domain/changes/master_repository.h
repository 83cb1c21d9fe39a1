// Persistence of the master data (tenants, people, groups, external systems, workflows): one
// row per item in cx_master, each write bumping cx_master_version so that every node notices
// and reloads its Directory.
#pragma once

#include <string_view>

#include "core/result.h"
#include "domain/changes/directory.h"
#include "store/database.h"

namespace causeway::changes::master {

enum class Kind { kTenant, kPerson, kGroup, kSystem, kWorkflow };
std::string_view KindName(Kind k);  // "tenant", "person", "group", "system", "workflow"

// Upserts one item (the document from change_codec.h) and bumps the version. Workflows use
// tenant "".
core::Status Put(store::Tx& tx, std::string_view tenant, Kind kind, std::string_view id, const std::string& doc);
// Deletes one item (no error when missing) and bumps the version. Deleting a tenant deletes
// its people, groups and systems too.
core::Status Delete(store::Tx& tx, std::string_view tenant, Kind kind, std::string_view id);
core::Result<int64_t> Version(store::Tx& tx);
// Takes the master-data write lock for the rest of the transaction (bumps the version: on
// PostgreSQL its row stays locked until commit; SQLite has one writer anyway). A write that
// reads master data to check it (a person's systems, a system's person) calls this first, so
// that what it reads includes every master-data write committed before it, on any node.
core::Status Serialize(store::Tx& tx);
// Everything, decoded; items of unknown tenants are skipped. Workflows stored replace the
// defaults of the same type; with none stored the defaults apply.
core::Result<Directory> Load(store::Tx& tx);

}  // namespace causeway::changes::master
