#include "http/header_block.h"

namespace causeway::http {

size_t FindHeaderBlockEnd(std::string_view data) {
  // A line is empty when only CRs stand between two LFs (or between the start and a LF).
  size_t line_start = 0;
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '\n') continue;
    bool empty = true;
    for (size_t j = line_start; j < i; ++j)
      if (data[j] != '\r') {
        empty = false;
        break;
      }
    if (empty && line_start > 0) return i + 1;
    line_start = i + 1;
  }
  return 0;
}

bool NeedsNormalizing(std::string_view block) {
  for (size_t i = block.find('\n'); i != std::string_view::npos; i = block.find('\n', i + 1)) {
    if (i == 0 || block[i - 1] != '\r' || (i >= 2 && block[i - 2] == '\r')) return true;
  }
  return false;
}

std::string NormalizeHeaderBlock(std::string_view block) {
  std::string out;
  out.reserve(block.size() + 16);
  size_t line_start = 0;
  for (size_t i = 0; i < block.size(); ++i) {
    if (block[i] != '\n') continue;
    size_t end = i;
    while (end > line_start && block[end - 1] == '\r') --end;
    out.append(block.substr(line_start, end - line_start));
    out += "\r\n";
    line_start = i + 1;
  }
  out.append(block.substr(line_start));
  return out;
}

}  // namespace causeway::http
