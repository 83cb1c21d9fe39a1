#include "client/job_status.h"

namespace causeway::client {

bool IsPendingStatus(char status) {
  switch (status) {
    case 'Y': case 'S': case 'P': case 'R': case 'c': case 'k': return true;
    default: return false;
  }
}

bool IsTerminalStatus(char status) {
  switch (status) {
    case 'F': case 'W': case 'A': case 'U': case 'C': case 'D': case 'K': case 'X': return true;
    default: return false;
  }
}

std::string_view StatusText(char status) {
  switch (status) {
    case 'Y': return "Ready";
    case 'S': return "Scheduled";
    case 'P': return "Released";
    case 'R': return "In Process";
    case 'F': return "Finished";
    case 'W': return "Finished with Warning";
    case 'A': return "Failed";
    case 'U': return "User Error";
    case 'C': return "Canceled";
    case 'c': return "Canceling";
    case 'D': return "Deleted";
    case 'K': return "Skipped";
    case 'k': return "Skip";
    case 'X': return "Unknown";
    default: return "Unknown status";
  }
}

}  // namespace causeway::client
