// Progress of `job run` while it waits. On a terminal: one line redrawn in place (elapsed,
// status, step n of m). Otherwise (scheduler log): one plain line per change of status or step,
// so logs stay readable. `--log FILE` gets a timestamped record of every change and the result.
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>

namespace causeway::client {

class ProgressReporter {
 public:
  // `log` may be null. Streams must outlive the reporter.
  ProgressReporter(std::ostream& out, bool interactive, std::ostream* log);

  // Called after every poll. step/steps are 0 when unknown.
  void Update(std::chrono::milliseconds elapsed, std::string_view job, char status, int step,
              int steps);
  // A message line (the in-place line is finished first). Also written to the log.
  void Note(std::string_view line);

 private:
  void EndLine();
  void Log(std::string_view line);

  std::ostream& out_;
  bool interactive_;
  std::ostream* log_;
  bool line_open_ = false;
  char last_status_ = '\x01';
  int last_step_ = -1;
};

// "1h02m03s" / "4m05s" / "12.3s".
std::string FormatElapsed(std::chrono::milliseconds elapsed);
// Current UTC time "2024-01-01T12:00:00Z".
std::string UtcNowIso();

}  // namespace causeway::client
