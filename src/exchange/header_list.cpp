#include "exchange/header_list.h"

#include <algorithm>

#include "core/ascii.h"

namespace causeway::exchange {

void HeaderList::Add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}

void HeaderList::Set(std::string_view name, std::string value) {
  Remove(name);
  entries_.emplace_back(std::string(name), std::move(value));
}

size_t HeaderList::Remove(std::string_view name) {
  return std::erase_if(entries_, [&](const Entry& e) { return core::IEquals(e.first, name); });
}

std::optional<std::string_view> HeaderList::Find(std::string_view name) const {
  for (const auto& [n, v] : entries_) {
    if (core::IEquals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::string HeaderList::Get(std::string_view name) const {
  auto v = Find(name);
  return v ? std::string(*v) : std::string();
}

std::vector<std::string_view> HeaderList::FindAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : entries_) {
    if (core::IEquals(n, name)) out.emplace_back(v);
  }
  return out;
}

bool IsHeaderName(std::string_view name) {
  if (name.empty()) return false;
  static constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           kSpecials.find(c) != std::string_view::npos;
  });
}

bool IsHeaderValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

}  // namespace causeway::exchange
