#include "core/url.h"

#include "core/ascii.h"

namespace causeway::core {

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  // Copied in runs between escapes: most components have none (one copy), and a byte-wise
  // append is an out-of-line call per character.
  const std::string_view special = plus_is_space ? "%+" : "%";
  size_t next = FindAny(in, special);
  if (next == std::string_view::npos) {
    out->assign(in);
    return true;
  }
  out->clear();
  out->reserve(in.size());
  size_t run = 0;
  while (next != std::string_view::npos) {
    out->append(in.substr(run, next - run));
    if (in[next] == '+') {
      *out += ' ';
      run = next + 1;
    } else {
      if (next + 2 >= in.size()) return false;
      int hi = HexDigitValue(in[next + 1]), lo = HexDigitValue(in[next + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      run = next + 3;
    }
    next = FindAny(in, special, run);
  }
  out->append(in.substr(run));
  return true;
}

std::string PercentEncode(std::string_view in, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (unsigned char c : in) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                       c == '.' || c == '_' || c == '~' || keep.find(static_cast<char>(c)) != std::string_view::npos;
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace causeway::core
