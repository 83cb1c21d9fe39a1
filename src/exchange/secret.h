// A string that must never be printed: passwords of destinations. Formatting it (fmt/spdlog,
// iostreams) prints "***"; the value is read only through Reveal(), so every place that uses the
// clear text is one grep away.
#pragma once

#include <fmt/format.h>

#include <ostream>
#include <string>
#include <string_view>

namespace causeway::exchange {

class Secret {
 public:
  static constexpr std::string_view kMask = "***";

  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  // The clear text. Call it only where the secret is handed to the wire (libcurl).
  const std::string& Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

  // Equal values compare equal (so that a changed destination can be told from an unchanged one).
  friend bool operator==(const Secret& a, const Secret& b) { return a.value_ == b.value_; }

 private:
  std::string value_;
};

inline std::ostream& operator<<(std::ostream& out, const Secret&) { return out << Secret::kMask; }

}  // namespace causeway::exchange

template <>
struct fmt::formatter<causeway::exchange::Secret> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const causeway::exchange::Secret&, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(causeway::exchange::Secret::kMask, ctx);
  }
};
