// Job status letters of BC_EXT_APPJOB_MANAGEMENT (spec §1.6). Case-sensitive: 'c' != 'C'.
#pragma once

#include <string_view>

namespace causeway::client {

// Y, S, P, R, c, k: the job has not reached an end state; keep polling.
bool IsPendingStatus(char status);
// F, W, A, U, C, D, K, X.
bool IsTerminalStatus(char status);
// English text, e.g. 'R' -> "In Process"; unknown letters -> "Unknown status".
std::string_view StatusText(char status);

}  // namespace causeway::client
