#include "http/access_log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace causeway::http {

AccessLog::AccessLog(const std::string& path) {
  if (path.empty()) return;
  if (path == "-") {
    logger_ = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  } else {
    logger_ = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::basic_file_sink_mt>(path));
  }
  logger_->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %v", spdlog::pattern_time_type::utc);
  logger_->set_level(spdlog::level::info);
  logger_->flush_on(spdlog::level::err);
  spdlog::flush_every(std::chrono::seconds(1));
  spdlog::register_logger(logger_);
}

AccessLog::~AccessLog() {
  if (logger_) {
    logger_->flush();
    spdlog::drop("access");
  }
}

std::string AccessLog::FormatLine(const RequestRecord& r) {
  const Request& q = *r.request;
  std::string path(q.Path());
  // Control characters would let a client forge log lines.
  for (char& c : path)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  std::string line;
  line.reserve(128 + path.size());
  line += q.remote_address.empty() ? "-" : q.remote_address;
  line += ' ';
  line += q.user.empty() ? "-" : q.user;
  line += " \"";
  line += q.method.empty() ? "-" : q.method;
  line += ' ';
  line += path.empty() ? "-" : path;
  if (!q.Query().empty()) line += "?…";
  line += "\" ";
  line += std::to_string(r.status);
  line += ' ';
  line += std::to_string(r.response_bytes);
  line += ' ';
  line += std::to_string(r.duration.count());
  line += "us ";
  line += r.label.empty() ? "-" : std::string(r.label);
  return line;
}

void AccessLog::Write(const RequestRecord& r) {
  if (logger_) logger_->info(FormatLine(r));
}

}  // namespace causeway::http
