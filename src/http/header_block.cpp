#include "http/header_block.h"

#include <vector>

#include "core/ascii.h"

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

namespace {

FramingError Bad(std::string text) { return FramingError{400, std::move(text)}; }

}  // namespace

std::optional<FramingError> CheckBodyFraming(std::string_view block) {
  size_t eol = block.find("\r\n");
  if (eol == std::string_view::npos) return std::nullopt;  // the parser reports this itself
  const bool http10 = block.substr(0, eol).ends_with("HTTP/1.0");
  std::vector<std::string_view> codings;
  std::string_view content_length;
  bool has_te = false, has_cl = false;
  for (size_t pos = eol + 2; pos < block.size();) {
    size_t end = block.find("\r\n", pos);
    if (end == std::string_view::npos) end = block.size();
    std::string_view line = block.substr(pos, end - pos);
    pos = end + 2;
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') return Bad("Folded header lines are not accepted");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // Beast's parser refuses the line
    std::string_view name = line.substr(0, colon);
    if (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
      return Bad("Whitespace between header field name and colon");
    std::string_view value = core::Trim(line.substr(colon + 1));
    if (core::IEquals(name, "transfer-encoding")) {
      has_te = true;
      // Several lines form one list (RFC 9110 §5.3).
      for (size_t start = 0; start <= value.size();) {
        size_t comma = value.find(',', start);
        if (comma == std::string_view::npos) comma = value.size();
        std::string_view coding = core::Trim(value.substr(start, comma - start));
        if (size_t semi = coding.find(';'); semi != std::string_view::npos) coding = core::Trim(coding.substr(0, semi));
        if (!coding.empty()) codings.push_back(coding);
        start = comma + 1;
      }
    } else if (core::IEquals(name, "content-length")) {
      if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos)
        return Bad("Invalid Content-Length");
      if (has_cl && value != content_length) return Bad("Conflicting Content-Length values");
      has_cl = true;
      content_length = value;
    }
  }
  if (!has_te) return std::nullopt;
  if (http10) return Bad("Transfer-Encoding is not allowed in HTTP/1.0 requests");
  if (has_cl) return Bad("Transfer-Encoding together with Content-Length");
  if (codings.empty() || !core::IEquals(codings.back(), "chunked"))
    return Bad("Transfer-Encoding must end with chunked");
  for (size_t i = 0; i + 1 < codings.size(); ++i) {
    if (core::IEquals(codings[i], "chunked")) return Bad("chunked applied more than once");
  }
  if (codings.size() > 1) return FramingError{501, "Transfer coding not implemented"};
  return std::nullopt;
}

}  // namespace causeway::http
