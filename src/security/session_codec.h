// Stateless security sessions and CSRF tokens, verifiable on any node that shares the secret.
//
// A session cookie value carries (session id, user, client, issued, last seen) and an
// HMAC-SHA256 over them. A session is idle from its last use, as SAP's server-side sessions
// are: clients in the field keep the cookie of their first response (a curl script's cookie
// jar written once, a Java client that never reads Set-Cookie again) and are active all along.
// So each node also remembers when it last saw each session (NoteUse); the later of that and
// the cookie's own time counts. A node that never saw the session uses the cookie's time (on
// several nodes without sticky sessions, a client that keeps its first cookie stays logged on
// while each node it reaches sees it within the idle timeout). The CSRF token is an HMAC of the session id, so it is valid exactly as
// long as its session and needs no server-side state. Tokens look like SAP's: 24 base64
// characters ending in "==".
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/crypto.h"

namespace causeway::security {

struct Session {
  std::string id;      // random, 22 characters
  std::string user;
  std::string client;
  int64_t issued_s = 0;
  int64_t seen_s = 0;
};

struct SessionPolicy {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{8 * 3600};
  // Re-issue the cookie when `seen` is older than this (or than half the idle timeout).
  std::chrono::seconds refresh_after{60};
};

class SessionCodec {
 public:
  SessionCodec(std::string_view secret, SessionPolicy policy, const core::Clock& clock)
      : signer_(secret), policy_(policy), clock_(clock) {}

  Session NewSession(std::string user, std::string client) const;
  std::string Encode(const Session& s) const;
  // Verifies signature and expiry; nullopt if forged, malformed or expired.
  std::optional<Session> Decode(std::string_view cookie_value) const;
  // The session was used now (on this node): its idle time starts again. Thread-safe.
  void NoteUse(const Session& s) const;
  // True if the cookie should be re-issued with a fresh `seen` time.
  bool NeedsRefresh(const Session& s) const;
  Session Touch(Session s) const;

  std::string CsrfToken(const Session& s) const;
  bool CsrfValid(const Session& s, std::string_view token) const;

  const SessionPolicy& policy() const { return policy_; }
  int64_t NowSeconds() const;

 private:
  // When this node last saw a session (Unix milliseconds), or 0. Thread-safe.
  int64_t LastUseMs(const std::string& id) const;

  core::HmacSha256Signer signer_;
  SessionPolicy policy_;
  const core::Clock& clock_;
  // Last use per session id, in shards so that I/O threads rarely meet on one lock. Entries
  // idle longer than the idle timeout are dropped when a shard fills; a full shard of live
  // sessions takes no more (those sessions fall back to their cookie's time).
  static constexpr size_t kShards = 16;
  static constexpr size_t kShardCapacity = 16384;
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, int64_t> last_use;  // Unix milliseconds
  };
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace causeway::security
