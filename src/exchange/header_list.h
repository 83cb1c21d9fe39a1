// HTTP header fields in arrival (or sending) order, looked up case-insensitively. Used for the
// extra headers of a destination and a request, and for the headers of an answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace causeway::exchange {

class HeaderList {
 public:
  using Entry = std::pair<std::string, std::string>;

  HeaderList() = default;
  HeaderList(std::initializer_list<Entry> entries) : entries_(entries) {}

  // Appends a field; an existing field of that name stays (answers may repeat a field).
  void Add(std::string name, std::string value);
  // Replaces every field of that name by one (appended when there was none).
  void Set(std::string_view name, std::string value);
  // Removes every field of that name; returns how many were removed.
  size_t Remove(std::string_view name);

  // The first value of `name` (any case), or nullopt.
  std::optional<std::string_view> Find(std::string_view name) const;
  // The first value of `name`, or "".
  std::string Get(std::string_view name) const;
  std::vector<std::string_view> FindAll(std::string_view name) const;
  bool Contains(std::string_view name) const { return Find(name).has_value(); }

  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void clear() { entries_.clear(); }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

  friend bool operator==(const HeaderList&, const HeaderList&) = default;

 private:
  std::vector<Entry> entries_;
};

// True when `name` is an RFC 9110 token (the only characters a field name may hold).
bool IsHeaderName(std::string_view name);
// True when `value` holds no CR, LF or NUL (which would split or end the header block).
bool IsHeaderValue(std::string_view value);

}  // namespace causeway::exchange
