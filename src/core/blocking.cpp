#include "core/blocking.h"

namespace causeway::core {
namespace {
thread_local bool non_blocking = false;
}  // namespace

bool MayBlock() { return !non_blocking; }

NonBlockingScope::NonBlockingScope(bool active) : previous_(non_blocking) { non_blocking = previous_ || active; }
NonBlockingScope::~NonBlockingScope() { non_blocking = previous_; }

Error WouldBlock() {
  return MakeError(Code::kUnavailable, "CAUSEWAY/CORE", "001", "The operation would wait on an I/O thread");
}

bool IsWouldBlock(const Error& e) { return e.message_class == "CAUSEWAY/CORE" && e.message_number == "001"; }

}  // namespace causeway::core
