// ASCII helpers for protocol text (header names, keywords); never locale-dependent.
#pragma once

#include <string>
#include <string_view>

namespace causeway::core {

inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline char AsciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
// The value of a hexadecimal digit (either case), or -1.
inline int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool IEquals(std::string_view a, std::string_view b);
bool IStartsWith(std::string_view s, std::string_view prefix);
std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);
std::string_view Trim(std::string_view s);
// The first position at or after `from` holding one of the (few) bytes of `set`, or npos. On
// hot paths in place of string_view::find_first_of, which calls memchr on the set per byte.
inline size_t FindAny(std::string_view s, std::string_view set, size_t from = 0) {
  for (size_t i = from; i < s.size(); ++i)
    for (char c : set)
      if (s[i] == c) return i;
  return std::string_view::npos;
}

}  // namespace causeway::core
