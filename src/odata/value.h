// Typed OData values. A Value holds one primitive (or null); its EDM type is given by the
// property or parameter it belongs to, so integers of every width share int64_t and the
// serializers consult the model for the wire form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace causeway::odata {

struct Decimal {
  std::string text;  // canonical decimal text, e.g. "-12.50" (no exponent, no suffix)
  bool operator==(const Decimal&) const = default;
};
struct DateTime {
  int64_t ms = 0;  // milliseconds since 1970-01-01T00:00:00 UTC (Edm.DateTime has no zone)
  bool operator==(const DateTime&) const = default;
};
struct DateTimeOffset {
  int64_t ms = 0;          // UTC instant, milliseconds since the epoch
  int offset_minutes = 0;  // the zone the value was written in (e.g. +120)
  bool operator==(const DateTimeOffset&) const = default;
};
struct Time {
  int64_t ms = 0;  // duration (time of day), milliseconds
  bool operator==(const Time&) const = default;
};
struct Guid {
  std::string text;  // 36 lower-case hex characters with hyphens
  bool operator==(const Guid&) const = default;
};
struct Binary {
  std::string bytes;  // raw bytes
  bool operator==(const Binary&) const = default;
};

class Value {
 public:
  using Variant = std::variant<std::monostate, bool, int64_t, double, std::string, Decimal, DateTime,
                               DateTimeOffset, Time, Guid, Binary>;

  Value() = default;  // null
  Value(bool b) : v_(b) {}                                      // NOLINT
  Value(int i) : v_(static_cast<int64_t>(i)) {}                 // NOLINT
  Value(int64_t i) : v_(i) {}                                   // NOLINT
  Value(double d) : v_(d) {}                                    // NOLINT
  Value(std::string s) : v_(std::move(s)) {}                    // NOLINT
  Value(const char* s) : v_(std::string(s)) {}                  // NOLINT
  Value(std::string_view s) : v_(std::string(s)) {}             // NOLINT
  Value(Decimal d) : v_(std::move(d)) {}                        // NOLINT
  Value(DateTime d) : v_(d) {}                                  // NOLINT
  Value(DateTimeOffset d) : v_(d) {}                            // NOLINT
  Value(Time t) : v_(t) {}                                      // NOLINT
  Value(Guid g) : v_(std::move(g)) {}                           // NOLINT
  Value(Binary b) : v_(std::move(b)) {}                         // NOLINT

  static Value Null() { return Value(); }
  bool is_null() const { return v_.index() == 0; }
  template <typename T>
  const T* get_if() const { return std::get_if<T>(&v_); }
  template <typename T>
  bool is() const { return std::holds_alternative<T>(v_); }
  const Variant& variant() const { return v_; }
  bool operator==(const Value&) const = default;

 private:
  Variant v_;
};

struct Expansion;

// One entity: `values` aligned with EntityType::properties (same order, same count).
struct Entity {
  std::vector<Value> values;
  // Expanded navigation results ($expand). A service may fill them itself; otherwise the engine
  // fills them through Service::ReadNavigation.
  std::vector<Expansion> expanded;
};

struct Expansion {
  std::string navigation;        // navigation property name
  std::vector<Entity> entities;  // to-one: zero or one entity
};

// A request body for create/update: `values` aligned with EntityType::properties; `present[i]`
// tells whether the client sent property i (MERGE/PATCH change only present properties).
struct EntityPayload {
  std::vector<Value> values;
  std::vector<bool> present;
};

}  // namespace causeway::odata
