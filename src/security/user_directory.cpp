#include "security/user_directory.h"

#include <algorithm>
#include <chrono>
#include <tuple>
#include <mutex>
#include <utility>

#include "core/ascii.h"
#include "core/time_format.h"
#include "security/password_hash.h"
#include "security_migrations.h"

namespace causeway::security {

namespace {

// The audit column: when the lock state last changed (UTC, ISO 8601 on both back ends).
store::Value Now() { return store::Value(core::FormatIso8601(std::chrono::system_clock::now())); }

}  // namespace


UserDirectory::UserDirectory(std::vector<UserConfig> users, ScenarioCatalog catalog, int max_failed_logons)
    : catalog_(std::move(catalog)), max_failed_(std::max(1, max_failed_logons)) {
  for (auto& u : users) {
    std::string key = core::ToUpper(u.name);
    u.name = key;
    users_[key] = Entry{std::move(u)};
  }
}

const std::vector<store::Migration>& UserDirectory::Migrations() { return SecurityMigrations(); }

core::Status UserDirectory::AttachStore(store::Database* db, std::optional<bool> shared) {
  db_ = db;
  shared_store_ = shared.value_or(db->dialect() != store::Dialect::kSqlite);  // SQLite: one node
  std::unique_lock lock(mu_);
  return db->Read([&](store::Tx& tx) {
    return tx.Query("SELECT name, failed_logons, locked FROM security_user_state", {}, [&](const store::Row& r) {
      if (Entry* e = FindLocked(r.Text(0))) {
        e->failed = static_cast<int>(r.Int(1));
        e->locked = r.Int(2) != 0;
      }
    });
  });
}

namespace {

bool HasLower(std::string_view s) {
  for (char c : s)
    if (c >= 'a' && c <= 'z') return true;
  return false;
}

}  // namespace

UserDirectory::Entry* UserDirectory::FindLocked(std::string_view name) {
  return const_cast<Entry*>(std::as_const(*this).FindLocked(name));
}
const UserDirectory::Entry* UserDirectory::FindLocked(std::string_view name) const {
  // Names on the hot path are already canonical (upper case): look them up without a copy.
  auto it = HasLower(name) ? users_.find(core::ToUpper(name)) : users_.find(name);
  return it == users_.end() ? nullptr : &it->second;
}

std::optional<UserView> UserDirectory::Find(std::string_view name) const {
  std::shared_lock lock(mu_);
  const Entry* e = FindLocked(name);
  if (!e) return std::nullopt;
  return UserView{e->config.name, e->config.kind, e->config.scenarios, e->locked, e->version, e->failed};
}

bool UserDirectory::IsCurrent(std::string_view name, uint64_t version) const {
  std::shared_lock lock(mu_);
  const Entry* e = FindLocked(name);
  return e && !e->locked && e->version == version && e->failed == 0;
}

void UserDirectory::NoteSuccessfulLogon(std::string_view name, bool even_if_none_seen) {
  Entry snapshot;
  {
    std::unique_lock lock(mu_);
    Entry* e = FindLocked(name);
    if (!e || e->locked) return;
    if (e->failed == 0 && !(even_if_none_seen && shared_store_ && db_)) return;
    e->failed = 0;
    snapshot = *e;
  }
  if (!db_) return;
  // Only the counter: a lock another node set meanwhile must stay.
  std::string canonical = snapshot.config.name;
  (void)db_->Write([&](store::Tx& tx) {
    return tx.Exec("UPDATE security_user_state SET failed_logons = 0, changed_at = ? WHERE name = ? AND locked = 0 "
                   "AND failed_logons > 0",
                   {Now(), store::Value(canonical)});
  });
}

bool UserDirectory::IsBusinessUser(std::string_view name) const {
  auto u = Find(name);
  return u && u->kind == UserKind::kBusiness;
}

std::optional<std::string> UserDirectory::UserForCertificate(std::string_view subject,
                                                             std::string_view fingerprint) const {
  std::shared_lock lock(mu_);
  for (const auto& [key, e] : users_) {
    for (const auto& s : e.config.cert_subjects)
      if (!subject.empty() && s == subject) return key;
    for (const auto& f : e.config.cert_fingerprints)
      if (!fingerprint.empty() && core::IEquals(f, fingerprint)) return key;
  }
  return std::nullopt;
}

core::Status UserDirectory::Persist(const Entry& e) {
  if (!db_) return core::Status::Ok();
  std::string name = e.config.name;
  int64_t failed = e.failed, locked = e.locked ? 1 : 0;
  return db_->Write([&](store::Tx& tx) {
    return tx.Exec(
        "INSERT INTO security_user_state(name, failed_logons, locked, changed_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET failed_logons = excluded.failed_logons, locked = excluded.locked, "
        "changed_at = excluded.changed_at",
        {store::Value(name), store::Value(failed), store::Value(locked), Now()});
  });
}

// Counted in the store itself, in one statement, so that nodes sharing it count one series of
// failures together (a read-then-write from each node's memory would lose counts).
core::Status UserDirectory::CountFailure(const std::string& name, int* failed, bool* locked) {
  const int64_t max = max_failed_;
  return db_->Write([&](store::Tx& tx) {
    return tx.Query(
        "INSERT INTO security_user_state(name, failed_logons, locked, changed_at) "
        "VALUES (?, 1, CASE WHEN 1 >= ? THEN 1 ELSE 0 END, ?) "
        "ON CONFLICT(name) DO UPDATE SET failed_logons = security_user_state.failed_logons + 1, "
        "locked = CASE WHEN security_user_state.locked <> 0 OR security_user_state.failed_logons + 1 >= ? "
        "THEN 1 ELSE 0 END, changed_at = excluded.changed_at "
        "RETURNING failed_logons, locked",
        {store::Value(name), store::Value(max), Now(), store::Value(max)}, [&](const store::Row& r) {
          *failed = static_cast<int>(r.Int(0));
          *locked = r.Int(1) != 0;
        });
  });
}

core::Status UserDirectory::Refresh() {
  if (!db_) return core::Status::Ok();
  std::vector<std::tuple<std::string, int, bool>> rows;
  CW_RETURN_IF_ERROR(db_->Read([&](store::Tx& tx) {
    rows.clear();
    return tx.Query("SELECT name, failed_logons, locked FROM security_user_state", {}, [&](const store::Row& r) {
      rows.emplace_back(r.String(0), static_cast<int>(r.Int(1)), r.Int(2) != 0);
    });
  }));
  std::unique_lock lock(mu_);
  for (const auto& [name, failed, locked] : rows) {
    Entry* e = FindLocked(name);
    if (!e) continue;
    e->failed = failed;
    if (e->locked != locked) {
      e->locked = locked;
      ++e->version;  // cached credentials and sessions of a locked user stop working
    }
  }
  return core::Status::Ok();
}

UserDirectory::LogonResult UserDirectory::CheckPassword(std::string_view name, std::string_view password) {
  std::string hash;
  LogonResult refused = LogonResult::kOk;
  {
    std::shared_lock lock(mu_);
    const Entry* e = FindLocked(name);
    if (!e)
      refused = LogonResult::kUnknownUser;
    else if (e->locked)
      refused = LogonResult::kLocked;
    else
      hash = e->config.password_hash;
  }
  if (refused != LogonResult::kOk) {
    VerifyAgainstDecoy(password);  // as late as a wrong password: the timing names no user
    return refused;
  }
  // The slow hash runs without the lock so that other logons proceed.
  password_checks_.fetch_add(1, std::memory_order_relaxed);
  bool ok = !hash.empty() && VerifyPassword(password, hash);
  std::string canonical;
  {
    std::unique_lock lock(mu_);
    Entry* e = FindLocked(name);
    if (!e) return LogonResult::kUnknownUser;
    if (e->locked) return LogonResult::kLocked;
    canonical = e->config.name;
    if (ok && e->failed == 0 && !shared_store_) return LogonResult::kOk;
    if (!db_) {
      if (ok) {
        e->failed = 0;
      } else if (++e->failed >= max_failed_) {
        e->locked = true;
        ++e->version;
      }
      return ok ? LogonResult::kOk : LogonResult::kWrongPassword;
    }
  }
  if (ok) {
    // Failures other nodes counted may not have reached this node yet: reset the stored count.
    NoteSuccessfulLogon(canonical, /*even_if_none_seen=*/true);
    return LogonResult::kOk;
  }
  int failed = 0;
  bool locked = false;
  if (!CountFailure(canonical, &failed, &locked).ok()) return LogonResult::kWrongPassword;
  std::unique_lock lock(mu_);
  if (Entry* e = FindLocked(canonical)) {
    e->failed = failed;
    if (locked && !e->locked) {
      e->locked = true;
      ++e->version;
    }
  }
  return LogonResult::kWrongPassword;
}

bool UserDirectory::MayCall(std::string_view user, std::string_view service) const {
  std::shared_lock lock(mu_);
  const Entry* e = FindLocked(user);
  if (!e) return false;
  for (const auto& s : e->config.services)
    if (core::IEquals(s, service)) return true;
  for (const auto& scenario : e->config.scenarios) {
    auto it = catalog_.find(scenario);
    if (it == catalog_.end()) continue;
    for (const auto& s : it->second)
      if (core::IEquals(s, service)) return true;
  }
  return false;
}

core::Status UserDirectory::Unlock(std::string_view name) {
  Entry snapshot;
  {
    std::unique_lock lock(mu_);
    Entry* e = FindLocked(name);
    if (!e) return core::MakeError(core::Code::kNotFound, "CAUSEWAY/SECURITY", "001", "User &1 does not exist", {std::string(name)});
    e->locked = false;
    e->failed = 0;
    ++e->version;
    snapshot = *e;
  }
  return Persist(snapshot);
}

core::Status UserDirectory::Lock(std::string_view name) {
  Entry snapshot;
  {
    std::unique_lock lock(mu_);
    Entry* e = FindLocked(name);
    if (!e) return core::MakeError(core::Code::kNotFound, "CAUSEWAY/SECURITY", "001", "User &1 does not exist", {std::string(name)});
    e->locked = true;
    ++e->version;
    snapshot = *e;
  }
  return Persist(snapshot);
}

std::vector<UserView> UserDirectory::List() const {
  std::shared_lock lock(mu_);
  std::vector<UserView> out;
  for (const auto& [key, e] : users_) out.push_back({key, e.config.kind, e.config.scenarios, e.locked, e.version, e.failed});
  return out;
}

}  // namespace causeway::security
