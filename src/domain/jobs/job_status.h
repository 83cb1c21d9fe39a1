// Job and step status letters exactly as the APJ framework shows them (spec §1.6). Letters are
// case-sensitive: 'c' (canceling) is not 'C' (canceled).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace causeway::jobs {

enum class JobStatus : char {
  kScheduled = 'S',  // not produced by this engine: JobSchedule always starts immediately
  kReady = 'Y',      // durable, waiting for a worker
  kReleased = 'P',   // not produced (no start conditions); listed for status texts
  kRunning = 'R',
  kFinished = 'F',
  kWarning = 'W',    // finished with warning
  kFailed = 'A',     // aborted / failed
  kUserError = 'U',
  kCanceled = 'C',
  kCanceling = 'c',  // transient: cancel requested, process group being terminated
  kDeleted = 'D',
  kSkipped = 'K',    // step skipped (restart modes E/A)
  kSkip = 'k',
  kUnknown = 'X',
};

inline char Letter(JobStatus s) { return static_cast<char>(s); }
// Parses a status letter; nullopt if it is none of the above.
std::optional<JobStatus> StatusFromLetter(char c);

// Not started yet (Y, S, P): JobCancel removes such a job.
bool IsWaiting(JobStatus s);
// R or c: a process or built-in may be executing.
bool IsActive(JobStatus s);
// F, W, A, U, C, D, K, X.
bool IsTerminal(JobStatus s);
// A, C, U: the states JobRestart accepts (spec §1.4.4).
bool IsRestartable(JobStatus s);

struct StatusText {
  JobStatus status;
  std::string_view text;
};
// Every status with its text in `language` ("EN", "DE"; anything else falls back to EN).
const std::vector<StatusText>& StatusTexts(std::string_view language);

}  // namespace causeway::jobs
