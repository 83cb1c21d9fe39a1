#include "core/json_text.h"

#include <cstdio>
#include <cstring>

#include "core/text_scan.h"

namespace causeway::core {

void AppendJsonString(std::string& out, std::string_view s) {
  size_t i = scan::FirstJsonSpecial(s);
  if (i == s.size()) {  // the common case: nothing to escape, one copy
    const size_t at = out.size();
    out.resize(at + s.size() + 2);
    char* d = out.data() + at;
    d[0] = '"';
    std::memcpy(d + 1, s.data(), s.size());
    d[s.size() + 1] = '"';
    return;
  }
  out += '"';
  size_t run = 0;
  while (i < s.size()) {
    out.append(s.data() + run, i - run);
    char c = s[i];
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
        out += buf;
      }
    }
    run = i + 1;
    i = run + scan::FirstJsonSpecial(s.substr(run));
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

}  // namespace causeway::core
