#include "soap/a2x.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>

#include "core/ascii.h"
#include "core/error.h"
#include "core/random.h"
#include "core/time_format.h"
#include "core/utf8.h"

namespace causeway::soap::a2x {

std::optional<Action> ActionFromCode(std::string_view code) {
  if (code.size() != 2 || code[0] != '0' || code[1] < '1' || code[1] > '6') return std::nullopt;
  return static_cast<Action>(code[1] - '0');
}

std::string ActionCode(Action a) { return "0" + std::to_string(static_cast<int>(a)); }

std::string LogItemNote(std::string note) {
  size_t pos = 0;
  for (int chars = 0; pos < note.size() && chars < 200; ++chars)
    pos += std::max<size_t>(1, core::Utf8SequenceLength(std::string_view(note).substr(pos)));
  note.resize(std::min(pos, note.size()));
  return note;
}

LogItem MakeLogItem(Severity severity, std::string_view message_class, std::string_view number,
                    std::string_view text, std::string sender_id, const std::vector<std::string>& vars) {
  return LogItem{std::string(number) + "(" + std::string(message_class) + ")", severity, std::move(sender_id),
                 LogItemNote(core::SubstituteMessageVars(text, vars))};
}

std::string ReferenceSenderId(std::string_view own, std::string_view parent) {
  return std::string(core::Trim(own).empty() ? core::Trim(parent) : core::Trim(own));
}

std::optional<Severity> MaxSeverity(const std::vector<LogItem>& items) {
  std::optional<Severity> out;
  for (const LogItem& i : items)
    if (!out || static_cast<int>(i.severity) > static_cast<int>(*out)) out = i.severity;
  return out;
}

bool HasError(const std::vector<LogItem>& items) {
  return std::any_of(items.begin(), items.end(), [](const LogItem& i) { return i.severity == Severity::kError; });
}

std::string ProcessingResultCode(size_t succeeded, size_t total) {
  return succeeded == total ? "3" : succeeded == 0 ? "5" : "4";
}

std::string NewUuid(core::SystemTime now) {
  unsigned char b[16];
  core::RandomBytes(b, sizeof b);
  const uint64_t ms = static_cast<uint64_t>(std::max<int64_t>(0, core::ToUnixMillis(now)));
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x70);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}

std::string NextChangeState(core::SystemTime now) {
  // 100 ns ticks, the resolution of the ABAP long timestamp; strictly increasing so that two
  // changes in one tick still get different IDs.
  static std::atomic<int64_t> last{0};
  int64_t ticks = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() / 100;
  int64_t prev = last.load();
  int64_t next;
  do {
    next = std::max(ticks, prev + 1);
  } while (!last.compare_exchange_weak(prev, next));
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%07lld", static_cast<long long>(next % 10'000'000));
  return core::FormatSapTimestampShort(core::SystemTime(std::chrono::seconds(next / 10'000'000))) + frac;
}

bool ChangeStateMatches(std::string_view sent, std::string_view stored) {
  sent = core::Trim(sent);
  return sent.empty() || sent == core::Trim(stored);
}

}  // namespace causeway::soap::a2x
