// Users, communication arrangements and logon lockout.
//
// Communication users are technical users that external systems log on with; each has
// arrangements naming communication scenarios (SAP_COM_0064 …), and each scenario grants a set
// of services. Business users are the people jobs run for (JobUser); they may log on too but
// reach only services explicitly granted. Lock state (consecutive failed logons, locked flag)
// is persisted when a Database is attached, so a restart does not unlock anybody.
// Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/migration.h"

namespace causeway::security {

enum class UserKind { kCommunication, kBusiness };

struct UserConfig {
  std::string name;  // logon name; compared case-insensitively (SAP logon names are upper case)
  UserKind kind = UserKind::kCommunication;
  std::string password_hash;            // encoded (see password_hash.h); empty = no password logon
  std::vector<std::string> scenarios;   // e.g. {"SAP_COM_0064"}
  std::vector<std::string> services;    // services granted directly (besides the scenarios')
  std::vector<std::string> cert_subjects;      // X.509 subjects that log on as this user
  std::vector<std::string> cert_fingerprints;  // SHA-256 hex of DER certificates
  std::string full_name;
};

// Which services a communication scenario grants: each service module brings its own
// (services/common/module.h), config's [scenarios] adds or replaces.
using ScenarioCatalog = std::map<std::string, std::vector<std::string>>;

struct UserView {
  std::string name;  // canonical (upper case)
  UserKind kind;
  std::vector<std::string> scenarios;
  bool locked;
  uint64_t password_version;  // changes when the password or lock state changes
  int failed_logons = 0;      // consecutive failed password logons since the last success
};

class UserDirectory {
 public:
  UserDirectory(std::vector<UserConfig> users, ScenarioCatalog catalog, int max_failed_logons = 3);

  // Attaches persistence for lock state and loads it. Call once at start-up. With a store,
  // failed logons are counted in it (atomically), so that nodes sharing it share one count.
  // `shared`: other nodes use the store too (default: any back end but SQLite).
  core::Status AttachStore(store::Database* db, std::optional<bool> shared = std::nullopt);
  // Re-reads counters and locks from the store: what other nodes counted, locked or unlocked.
  // Nodes sharing a store call it periodically (app/serve.cpp: every second).
  core::Status Refresh();
  static const std::vector<store::Migration>& Migrations();

  std::optional<UserView> Find(std::string_view name) const;
  // True if `name` exists, is not locked, its password/lock version is still `version` and no
  // failed logon is waiting to be reset (that reset writes to the store, so such a request must
  // not be taken for a cheap one). The per-request check of a cached credential: no copy.
  bool IsCurrent(std::string_view name, uint64_t version) const;
  bool IsBusinessUser(std::string_view name) const;
  std::optional<std::string> UserForCertificate(std::string_view subject, std::string_view fingerprint) const;

  enum class LogonResult { kOk, kWrongPassword, kLocked, kUnknownUser };
  // Checks a password (slow hash) and updates the lockout counters.
  LogonResult CheckPassword(std::string_view name, std::string_view password);
  // A logon that proved the credentials without the slow hash (a cached Basic credential, a
  // client certificate) ends a run of failures as CheckPassword's success does: SAP resets the
  // counter on every successful logon. Writes only when there is something to reset, or, with
  // `even_if_none_seen` on a store other nodes share, also when this node has not seen their
  // failures yet (they reach it within a second): CheckPassword does so after the slow hash.
  void NoteSuccessfulLogon(std::string_view name, bool even_if_none_seen = false);
  // How many slow password hashes CheckPassword has run.
  uint64_t password_checks() const { return password_checks_.load(std::memory_order_relaxed); }
  // True if `user` may call `service` (by its scenarios or direct grants).
  bool MayCall(std::string_view user, std::string_view service) const;

  core::Status Unlock(std::string_view name);
  core::Status Lock(std::string_view name);
  std::vector<UserView> List() const;

 private:
  struct Entry {
    UserConfig config;
    int failed = 0;
    bool locked = false;
    uint64_t version = 1;
  };
  core::Status Persist(const Entry& e);
  core::Status CountFailure(const std::string& name, int* failed, bool* locked);
  Entry* FindLocked(std::string_view name);
  const Entry* FindLocked(std::string_view name) const;

  mutable std::shared_mutex mu_;
  std::map<std::string, Entry, std::less<>> users_;  // key: upper-case name; GUARDED_BY(mu_)
  ScenarioCatalog catalog_;
  int max_failed_;
  std::atomic<uint64_t> password_checks_{0};
  store::Database* db_ = nullptr;
  bool shared_store_ = false;  // other nodes count failures in db_ too (PostgreSQL)
};

}  // namespace causeway::security
