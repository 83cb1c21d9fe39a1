#include "http/response_writer.h"

#include <charconv>
#include <cstring>
#include <cstring>

#include "core/ascii.h"

namespace causeway::http {
namespace {

void AppendClean(std::string* out, std::string_view s) {
  size_t start = out->size();
  out->append(s);
  // Two memchr passes: string_view::find_first_of runs a memchr over the needle per byte.
  if (!std::memchr(s.data(), '\r', s.size()) && !std::memchr(s.data(), '\n', s.size())) return;
  for (size_t i = start; i < out->size(); ++i)
    if ((*out)[i] == '\r' || (*out)[i] == '\n') (*out)[i] = ' ';
}

void AppendInt(std::string* out, size_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, static_cast<size_t>(p - buf));
}

}  // namespace

bool StatusHasBody(int status) { return status != 204 && status != 304 && !(status >= 100 && status < 200); }

void WriteResponseHead(const Response& res, const WireOptions& opts, std::string* out) {
  out->clear();
  out->append(opts.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  AppendInt(out, static_cast<size_t>(res.status));
  out->push_back(' ');
  out->append(ReasonPhrase(res.status));
  out->append("\r\n");
  bool has_server = false;
  for (const auto& [name, value] : res.headers.items()) {
    // Framing headers are ours to write; a handler's copy would contradict them.
    if (core::IEquals(name, "content-length") || core::IEquals(name, "connection") ||
        core::IEquals(name, "transfer-encoding"))
      continue;
    if (core::IEquals(name, "server")) has_server = true;
    AppendClean(out, name);
    out->append(": ");
    AppendClean(out, value);
    out->append("\r\n");
  }
  if (opts.server_header && !opts.server_header->empty() && !has_server) {
    out->append("server: ");
    AppendClean(out, *opts.server_header);
    out->append("\r\n");
  }
  if (opts.version == 10 && opts.keep_alive) out->append("connection: keep-alive\r\n");
  if (opts.version != 10 && !opts.keep_alive) out->append("connection: close\r\n");
  if (StatusHasBody(res.status)) {
    out->append("content-length: ");
    AppendInt(out, res.body_view().size());
    out->append("\r\n");
  }
  out->append("\r\n");
}

}  // namespace causeway::http
