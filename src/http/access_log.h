// One line per request: time, remote, user, method, path (never the query string, which may
// carry parameter values, and never headers), status, bytes, microseconds, service.
#pragma once

#include <memory>
#include <string>

#include "http/server.h"

namespace spdlog {
class logger;
}

namespace causeway::http {

class AccessLog {
 public:
  // `path`: a file to append to; "-" for stderr; empty for no access log. Buffered; flushed
  // every second and on destruction.
  explicit AccessLog(const std::string& path);
  ~AccessLog();
  void Write(const RequestRecord& r);
  static std::string FormatLine(const RequestRecord& r);

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace causeway::http
