// The outbox's vocabulary: what a consumer enqueues, the states a message goes through, and
// what an operator sees of it. Plain values: no SQL, no threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace causeway::exchange {

// Unique per store, never reused (also not after pruning); 0 is never an id.
using MessageId = int64_t;

// pending → in_flight → delivered; in_flight → pending (retry after back-off) or failed (a
// permanent error, or the retry policy gave up); failed → pending (operator retry) or skipped
// (operator skip). A failed message blocks its key; a skipped one does not.
enum class MessageState { kPending, kInFlight, kDelivered, kFailed, kSkipped };

// "pending", "in_flight", "delivered", "failed", "skipped": stable, stored and shown.
std::string_view MessageStateName(MessageState state);
std::optional<MessageState> ParseMessageState(std::string_view name);

// What a message waits for and builds its request from. A message with a dependency is not
// sent before that message is delivered or skipped.
struct Dependency {
  // A message enqueued before (committed, or staged earlier in the same unit of work).
  MessageId message = 0;
  // Or: the latest create of this object at the same destination (a message whose kind
  // creates objects and whose object_key is this). Resolved when enqueued: if such a message
  // is in the outbox, it is waited for; its result, or once it was pruned the result stored
  // for the object, is handed to the request builder.
  std::string created_object;

  static Dependency None() { return {}; }
  static Dependency OnMessage(MessageId id) { return {id, {}}; }
  static Dependency OnCreateOf(std::string object_key) { return {0, std::move(object_key)}; }
  bool empty() const { return message == 0 && created_object.empty(); }
};

// One message as a consumer enqueues it.
struct Message {
  std::string destination;   // a configured destination's name
  std::string kind;          // a registered MessageKind's name
  std::string ordering_key;  // 1-200 bytes: messages of one key are delivered in order
  std::string object_key;    // 0-200 bytes: the object it concerns (coalescing, creates)
  std::string payload;       // what the kind builds the request from (at most 16 MiB)
  Dependency depends_on;
  // Sent unchanged with every attempt (destination's idempotency_header); a stable key such as
  // a ticket GUID. Empty: "causeway-outbox-<id>".
  std::string idempotency_key;
  // Folds the key's earlier messages of the same kind and object that were never attempted
  // into this one (they are deleted; this one is appended): a burst of edits becomes one
  // request. Messages another message depends on are never folded.
  bool coalesce_with_pending = false;
};

// The stored result a dependent message builds on.
struct DependencyResult {
  MessageId message = 0;   // the message depended on; 0 when resolved from the object's result
  std::string object_key;  // the object, for a dependency on its create
  // State of `message`; nullopt when it is no longer stored (pruned) or there was none.
  std::optional<MessageState> state;
  // The result kept from its answer (MessageKind::ResultOf), or the object's stored result;
  // nullopt when there is none (the create was skipped, or never happened).
  std::optional<std::string> result;
};

// One attempt as recorded. `outcome` is "success", "retryable", "permanent", "not_sent" (the
// request could not be built) or "interrupted" (the process ended before its answer was
// recorded).
struct AttemptRecord {
  int attempt = 0;
  core::SystemTime started;
  std::chrono::microseconds latency{0};
  int status = 0;  // HTTP status; 0 when no answer was read
  std::string outcome;
  std::string error;        // transport error or reason; "" on success
  std::string answer_head;  // the first bytes of the answer body (printable UTF-8)
};

// A message as an operator sees it.
struct MessageRecord {
  MessageId id = 0;
  std::string destination, kind, ordering_key, object_key;
  int64_t seq = 0;
  MessageState state = MessageState::kPending;
  bool head = false;  // first unfinished message of its key
  bool creates = false;
  std::string idempotency_key;
  Dependency depends_on;
  int coalesced = 0;
  core::SystemTime created;
  core::SystemTime not_before;
  int attempts = 0;
  std::optional<core::SystemTime> last_attempt;
  std::optional<core::SystemTime> finished;
  bool maybe_received = false;
  std::optional<std::string> lease_owner;
  std::optional<core::SystemTime> lease_expires;
  std::optional<std::string> result;
  std::string last_error;
  size_t payload_length = 0;  // in characters (SQL LENGTH)
  std::string payload;  // only filled by Outbox::Get
};

struct MessageDetail {
  MessageRecord message;
  std::vector<AttemptRecord> attempts;  // in attempt order
};

// Listing filter; empty fields do not filter. Pages go by ascending id.
struct MessageFilter {
  std::string destination;
  std::string ordering_key;
  std::optional<MessageState> state;
  MessageId after = 0;  // only ids above this
  int limit = 100;      // 1-1000
};

struct MessagePage {
  std::vector<MessageRecord> messages;
  MessageId next_after = 0;  // pass as `after` for the next page; 0 when this was the last
};

}  // namespace causeway::exchange
