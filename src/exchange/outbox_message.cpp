#include "exchange/outbox_message.h"

#include <array>

namespace causeway::exchange {
namespace {

constexpr std::array<std::string_view, 5> kStateNames = {"pending", "in_flight", "delivered", "failed", "skipped"};

}  // namespace

std::string_view MessageStateName(MessageState state) { return kStateNames[static_cast<size_t>(state)]; }

std::optional<MessageState> ParseMessageState(std::string_view name) {
  for (size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i] == name) return static_cast<MessageState>(i);
  }
  return std::nullopt;
}

}  // namespace causeway::exchange
