#include "domain/activities/task.h"

namespace causeway::activities {

bool StatusTransitionAllowed(std::string_view from, std::string_view to) {
  if (from == to) return true;
  // Completed and cancelled tasks are final; open and in process move freely between each
  // other and to the final states.
  if (from == kStatusCompleted || from == kStatusCancelled) return false;
  return to == kStatusOpen || to == kStatusInProcess || to == kStatusCompleted || to == kStatusCancelled;
}

}  // namespace causeway::activities
