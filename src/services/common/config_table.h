// One table of causeway.toml read strictly, for the house and every module: a key of the wrong
// type, out of its range or unknown is an error naming it, never a silent default (a typo such
// as `max_body_byte` or `port = "8443"` used to start a server that was not configured as
// written). Getters leave `out` alone when the key is absent; Done() reports the first key no
// getter (or Known) asked for.
//
// Errors: kBadRequest CAUSEWAY/CONFIG/001 "<name> <key>: <what>" with target "<target>.<key>",
// where name is how the file spells the table ("[server]", "[[listeners]] #2") and target its
// path ("server", "listeners[1]").
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/result.h"

namespace causeway::services {

// kBadRequest CAUSEWAY/CONFIG/001 with `text`; `target` (the key's path) when one is known.
core::Error ConfigError(const std::string& text, const std::string& target = {});

class ConfigTable {
 public:
  // `node` null: the table is absent (every getter keeps the default). `name`: "[server]".
  static core::Result<ConfigTable> Open(const toml::node* node, std::string name, std::string target);
  // The table [key] of `root` (absent is fine; anything but a table is an error).
  static core::Result<ConfigTable> Section(const toml::table& root, std::string_view key);
  // The tables [[key]] of `root`, in order (absent: none; anything but tables is an error).
  static core::Result<std::vector<ConfigTable>> Array(const toml::table& root, std::string_view key);

  bool Has(std::string_view key) const { return table_ && table_->contains(key); }

  core::Status String(std::string_view key, std::string& out);
  core::Status Bool(std::string_view key, bool& out);
  core::Status Bool(std::string_view key, std::optional<bool>& out);  // absent: left as it is
  core::Status Int(std::string_view key, int64_t min, int64_t max, int64_t& out);
  // Into any integer type; the default range is the type's (capped at int64_t's).
  template <typename T>
  core::Status Int(std::string_view key, T& out, int64_t min = std::numeric_limits<T>::min(),
                   int64_t max = static_cast<int64_t>(std::min<uint64_t>(std::numeric_limits<T>::max(),
                                                                         std::numeric_limits<int64_t>::max()))) {
    int64_t v = static_cast<int64_t>(out);
    CW_RETURN_IF_ERROR(Int(key, min, max, v));
    out = static_cast<T>(v);
    return core::Status::Ok();
  }
  core::Status Strings(std::string_view key, std::vector<std::string>& out);
  // Keys another parser reads (a sub-table, an array of tables): known, not read here.
  void Known(std::initializer_list<std::string_view> keys);
  core::Status Done() const;

  const toml::table* table() const { return table_; }
  const std::string& path() const { return target_; }  // "listeners[1]"
  core::Error Error(std::string_view key, const std::string& what) const;

 private:
  const toml::node* Get(std::string_view key);

  const toml::table* table_ = nullptr;
  std::string name_, target_;
  std::set<std::string, std::less<>> read_;
};

}  // namespace causeway::services
