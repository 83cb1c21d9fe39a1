#include "client/progress_reporter.h"

#include <cstdio>

#include "client/job_status.h"

namespace causeway::client {

std::string FormatElapsed(std::chrono::milliseconds elapsed) {
  long long ms = elapsed.count();
  long long s = ms / 1000;
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm%02llds", s / 3600, (s / 60) % 60, s % 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld.%llds", s, (ms % 1000) / 100);
  }
  return buf;
}

std::string UtcNowIso() {
  using namespace std::chrono;
  auto now = floor<seconds>(system_clock::now());
  auto day = floor<days>(now);
  year_month_day ymd{day};
  hh_mm_ss hms{now - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

ProgressReporter::ProgressReporter(std::ostream& out, bool interactive, std::ostream* log)
    : out_(out), interactive_(interactive), log_(log) {}

void ProgressReporter::Update(std::chrono::milliseconds elapsed, std::string_view job,
                              char status, int step, int steps) {
  std::string text = "job " + std::string(job) + " " +
                     (status ? std::string(1, status) : std::string("?")) + " (" +
                     std::string(status ? StatusText(status) : "no status yet") + ")";
  if (steps > 0) text += " step " + std::to_string(step) + " of " + std::to_string(steps);
  text += ", elapsed " + FormatElapsed(elapsed);
  bool changed = status != last_status_ || step != last_step_;
  last_status_ = status;
  last_step_ = step;
  if (interactive_) {
    out_ << "\r\033[K" << text << std::flush;  // redraw in place
    line_open_ = true;
  } else if (changed) {
    out_ << UtcNowIso() << " " << text << '\n' << std::flush;
  }
  if (changed) Log(text);
}

void ProgressReporter::Note(std::string_view line) {
  EndLine();
  out_ << line << '\n' << std::flush;
  Log(line);
}

void ProgressReporter::EndLine() {
  if (line_open_) out_ << '\n';
  line_open_ = false;
}

void ProgressReporter::Log(std::string_view line) {
  if (log_ != nullptr) *log_ << UtcNowIso() << " " << line << '\n' << std::flush;
}

}  // namespace causeway::client
