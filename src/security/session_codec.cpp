#include "security/session_codec.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/crypto.h"
#include "core/random.h"

namespace causeway::security {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    size_t p = s.find(sep);
    out.push_back(s.substr(0, p));
    if (p == std::string_view::npos) return out;
    s = s.substr(p + 1);
  }
}

bool ToInt(std::string_view s, int64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

int64_t SessionCodec::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Session SessionCodec::NewSession(std::string user, std::string client) const {
  int64_t now = NowSeconds();
  return Session{core::RandomFromAlphabet(22, kAlphabet), std::move(user), std::move(client), now, now};
}

std::string SessionCodec::Encode(const Session& s) const {
  std::string payload = "1|" + s.id + "|" + s.user + "|" + s.client + "|" + std::to_string(s.issued_s) + "|" +
                        std::to_string(s.seen_s);
  return core::Base64UrlEncode(payload) + "." + core::Base64UrlEncode(signer_.Sign(payload));
}

std::optional<Session> SessionCodec::Decode(std::string_view value) const {
  size_t dot = value.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string payload, mac;
  if (!core::Base64UrlDecodeCanonical(value.substr(0, dot), &payload) ||
      !core::Base64UrlDecodeCanonical(value.substr(dot + 1), &mac))
    return std::nullopt;
  if (!core::ConstantTimeEquals(signer_.Sign(payload), mac)) return std::nullopt;
  auto parts = Split(payload, '|');
  if (parts.size() != 6 || parts[0] != "1") return std::nullopt;
  Session s{std::string(parts[1]), std::string(parts[2]), std::string(parts[3]), 0, 0};
  if (!ToInt(parts[4], &s.issued_s) || !ToInt(parts[5], &s.seen_s)) return std::nullopt;
  int64_t now = NowSeconds();
  // The local last use is kept in milliseconds (a 1 s idle timeout means one second, not up to
  // two); the cookie's time is a whole second, taken as its end so that it never expires early.
  // The table is read only when the cookie's own time is too old (a client that takes the
  // refreshed cookies never needs it).
  const int64_t now_ms = core::ToUnixMillis(clock_.Now());
  const int64_t idle_ms = policy_.idle_timeout.count() * 1000;
  if (now_ms - (s.seen_s * 1000 + 999) > idle_ms && now_ms - LastUseMs(s.id) > idle_ms) return std::nullopt;
  if (now - s.issued_s > policy_.absolute_timeout.count()) return std::nullopt;
  return s;
}

void SessionCodec::NoteUse(const Session& s) const {
  const int64_t now = core::ToUnixMillis(clock_.Now());
  Shard& shard = shards_[std::hash<std::string>{}(s.id) % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.last_use.find(s.id);
  if (it != shard.last_use.end()) {
    it->second = std::max(it->second, now);
    return;
  }
  if (shard.last_use.size() >= kShardCapacity)
    std::erase_if(shard.last_use, [&](const auto& e) { return now - e.second > policy_.idle_timeout.count() * 1000; });
  if (shard.last_use.size() < kShardCapacity) shard.last_use.emplace(s.id, now);
}

int64_t SessionCodec::LastUseMs(const std::string& id) const {
  Shard& shard = shards_[std::hash<std::string>{}(id) % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.last_use.find(id);
  return it == shard.last_use.end() ? 0 : it->second;
}

bool SessionCodec::NeedsRefresh(const Session& s) const {
  const int64_t after = std::min<int64_t>(policy_.refresh_after.count(), policy_.idle_timeout.count() / 2);
  return NowSeconds() - s.seen_s >= after;
}

Session SessionCodec::Touch(Session s) const {
  s.seen_s = NowSeconds();
  return s;
}

std::string SessionCodec::CsrfToken(const Session& s) const {
  std::string mac = signer_.Sign("csrf|" + s.id + "|" + s.user);
  return core::Base64Encode(std::string_view(mac).substr(0, 16));  // 24 characters, "==" at the end
}

bool SessionCodec::CsrfValid(const Session& s, std::string_view token) const {
  return !token.empty() && core::ConstantTimeEquals(CsrfToken(s), token);
}

}  // namespace causeway::security
