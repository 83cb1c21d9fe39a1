#include "soap/inbound_message.h"

#include "core/ascii.h"

namespace causeway::soap {

const char* MessageStatusName(MessageStatus s) {
  switch (s) {
    case MessageStatus::kReceived: return "received";
    case MessageStatus::kProcessed: return "processed";
    case MessageStatus::kError: return "error";
    case MessageStatus::kWaiting: return "waiting";
    case MessageStatus::kCancelled: return "cancelled";
  }
  return "received";
}

std::optional<MessageStatus> MessageStatusFromName(std::string_view name) {
  for (MessageStatus s : {MessageStatus::kReceived, MessageStatus::kProcessed, MessageStatus::kError,
                          MessageStatus::kWaiting, MessageStatus::kCancelled})
    if (name == MessageStatusName(s)) return s;
  return std::nullopt;
}

std::string MessageKey(std::string_view message_id, std::string_view message_uuid) {
  message_uuid = core::Trim(message_uuid);
  message_id = core::Trim(message_id);
  if (!message_uuid.empty()) return "uuid:" + core::ToLower(message_uuid);
  if (!message_id.empty()) return "id:" + std::string(message_id);
  return {};
}

}  // namespace causeway::soap
