// How a consumer turns its stored messages into HTTP requests: one MessageKind per kind of
// message ("fb.wp.create", "cx.assign", …), registered with the outbox when it opens.
//
// The outbox stores only the consumer's payload. At send time it hands the kind the payload,
// the attempt number and the stored result of the message it depends on; the kind builds the
// request (URL with the EXTERNAL_ID filled in, body with the parent's id, its own headers).
// From a 2xx answer the kind extracts what later messages need (an EXTERNAL_ID), or declares
// the answer unusable, which fails the message for good.
//
// Examples of the two first consumers:
//   Focused Build  "fb.wp.create"  creates() = true; POST /workpackages; ResultOf reads
//                                  EXTERNAL_ID from the answer (missing: an error).
//                  "fb.wp.update"  Dependency::OnCreateOf(wp); PUT to a URI whose
//                                  #EXTERNAL_ID# is the dependency's result; coalesced.
//                  "fb.wi.create"  same ordering key as its package, OnCreateOf(wp); the
//                                  body carries PARENT_EXTERNAL_ID.
//   case exchange  "cx.assign", "cx.accept", "cx.cancel", "cx.update": one ordering key per
//                  change record, so the operations arrive in the order they happened.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "exchange/http_client.h"
#include "exchange/outbox_message.h"

namespace causeway::exchange {

// What a kind sees of a message at send time. Valid during the call only.
struct OutgoingMessage {
  MessageId id = 0;
  std::string_view destination, kind, ordering_key, object_key, payload, idempotency_key;
  int attempt = 1;              // 1 for the first attempt; attempts interrupted by a crash count
  // An earlier attempt may have reached the receiver without its answer reaching us (timeout,
  // reset, crash): a create is then re-sent with the same idempotency data, never as new.
  bool maybe_received = false;
  const DependencyResult* dependency = nullptr;  // null when the message has none
};

class MessageKind {
 public:
  virtual ~MessageKind() = default;

  // True when delivering a message of this kind creates its object_key at the destination:
  // its result is kept for the object and Dependency::OnCreateOf finds it.
  virtual bool creates() const { return false; }

  // Builds the request. The outbox fills in `destination` (the current snapshot) and, when
  // the request leaves it empty, `idempotency_key` (the message's). An error fails the
  // message for good (outcome "not_sent", the error's text as reason): use it when the
  // dependency has no result. Runs on the outbox's delivery thread: must not block.
  // Thread-safe (const): called for many messages, never concurrently with itself for one.
  virtual core::Result<OutboundRequest> BuildRequest(const OutgoingMessage& message) const = 0;

  // What to keep of a 2xx answer for later messages (stored as the message's result and, for
  // creates(), the object's): e.g. an EXTERNAL_ID. An error (a 2xx without the expected
  // field) fails the message for good with the error's text as reason. Default: keeps "".
  virtual core::Result<std::string> ResultOf(const OutgoingMessage& message, const HttpOutcome& answer) const;
};

using KindRegistry = std::map<std::string, std::shared_ptr<const MessageKind>, std::less<>>;

// A kind made of functions, for small consumers and tests.
struct KindFunctions {
  bool creates = false;
  std::function<core::Result<OutboundRequest>(const OutgoingMessage&)> build;  // required
  std::function<core::Result<std::string>(const OutgoingMessage&, const HttpOutcome&)> result;  // optional
};
std::shared_ptr<const MessageKind> MakeKind(KindFunctions functions);

// Replaces each "#NAME#" in `text` by values[NAME] (Focused Build's URI templates such as
// ".../workpackages/#EXTERNAL_ID#"). A placeholder without a value is an error (kBadRequest
// CAUSEWAY/EXCHANGE/012, target = the name). "##" stays as it is.
core::Result<std::string> FillPlaceholders(std::string_view text,
                                           const std::map<std::string, std::string, std::less<>>& values);

}  // namespace causeway::exchange
