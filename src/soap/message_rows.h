// Internal to soap/: the column list of soap_messages as the message store and the monitor
// read it, and the row → StoredMessage conversion, so that both read one shape.
#pragma once

#include <string>

#include "soap/inbound_message.h"
#include "store/database.h"

namespace causeway::soap::internal {

// id, service, operation, message_id, message_uuid, queue_key, seq, head, status, user_name,
// client, language, soap_version, received_ms, finished_ms, attempts, lease_owner,
// lease_expires (18 columns). The payload is in soap_message_payloads.
extern const char kMessageColumns[];

StoredMessage MessageFromRow(const store::Row& r);

core::Error MessageError(core::Code code, const char* number, std::string text,
                         std::initializer_list<std::string> vars = {});

}  // namespace causeway::soap::internal
