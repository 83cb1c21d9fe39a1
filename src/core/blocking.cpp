#include "core/blocking.h"

#include <utility>

namespace causeway::core {
namespace {
thread_local bool non_blocking = false;
thread_local Parking* current_parking = nullptr;
}  // namespace

bool MayBlock() { return !non_blocking; }

Parking* CurrentParking() { return non_blocking ? current_parking : nullptr; }

void Parking::Park(const void* owner, std::shared_ptr<Completion> ready) {
  owner_ = owner;
  ready_ = std::move(ready);
}

std::shared_ptr<Completion> Parking::Take(const void* owner) {
  if (owner != owner_ || !ready_) return nullptr;
  owner_ = nullptr;
  return std::exchange(ready_, nullptr);
}

// An active scope sets its parking (also null: a scope that cannot park hides an outer one's);
// an inactive one changes nothing.
NonBlockingScope::NonBlockingScope(bool active, Parking* parking)
    : previous_(non_blocking), previous_parking_(current_parking) {
  non_blocking = previous_ || active;
  if (active) current_parking = parking;
}

NonBlockingScope::~NonBlockingScope() {
  non_blocking = previous_;
  current_parking = previous_parking_;
}

Error WouldBlock() {
  return MakeError(Code::kUnavailable, "CAUSEWAY/CORE", "001", "The operation would wait on an I/O thread");
}

bool IsWouldBlock(const Error& e) { return e.message_class == "CAUSEWAY/CORE" && e.message_number == "001"; }

}  // namespace causeway::core
