// The outbox's control-plane operations as plain functions over an Outbox, returning JSON
// values (or Prometheus text) and core::Errors, for the integrator to mount. Suggested routes
// (all for CAUSEWAY_CONTROL) and CLI commands:
//
//   GET  /_causeway/outbox/messages?destination=&key=&state=&after=&limit=   ListMessages
//        causeway outbox list [--destination D] [--key K] [--state S] [--after ID] [--limit N]
//   GET  /_causeway/outbox/messages/{id}                                     ShowMessage
//        causeway outbox show ID
//   POST /_causeway/outbox/messages/{id}/retry                               RetryMessage
//        causeway outbox retry ID
//   POST /_causeway/outbox/messages/{id}/skip                                SkipMessage
//        causeway outbox skip ID
//   GET  /_causeway/outbox/destinations                                      ListDestinations
//        causeway outbox destinations
//   POST /_causeway/outbox/destinations/{name}/pause, …/resume               Pause/ResumeDestination
//        causeway outbox pause NAME, causeway outbox resume NAME
//   GET  /_causeway/metrics (append)                                         MetricsText
//
// Errors map to HTTP through core::Error's code: 400 (a bad parameter: CAUSEWAY/EXCHANGE/040,
// target = the parameter), 404 (020 message, 022 destination), 409 (021: not failed),
// 503 (030: stopped). ErrorJson renders them as the control plane does.
//
// Never in any answer: a destination's password or header values (they may hold API keys),
// a request's Authorization. Payloads and answer heads are shown: they are the consumer's data.
//
// Threading: each call blocks on one store read or durable write; not on an I/O thread.
#pragma once

#include <boost/json/value.hpp>

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"
#include "exchange/outbox.h"

namespace causeway::exchange::admin {

// Query parameters of the list: destination, key, state (pending, in_flight, delivered,
// failed, skipped), after (an id), limit (1-1000, default 100). Unknown parameters and bad
// values are refused (040, target = the parameter).
core::Result<MessageFilter> ParseListQuery(const std::map<std::string, std::string, std::less<>>& query);
// A message id from a path segment (040, target "id").
core::Result<MessageId> ParseMessageId(std::string_view text);

// {"messages": [message…], "next_after": id|null}; a message without payload and attempts.
core::Result<boost::json::value> ListMessages(const Outbox& outbox, const MessageFilter& filter);
// {"message": {…, "payload": "…"}, "attempts": [{attempt, started_at, latency_ms, status,
// outcome, error, answer_head}…]}
core::Result<boost::json::value> ShowMessage(const Outbox& outbox, MessageId id);
// Retry or skip a failed message; the answer is ShowMessage's after the change.
core::Result<boost::json::value> RetryMessage(Outbox& outbox, MessageId id);
core::Result<boost::json::value> SkipMessage(Outbox& outbox, MessageId id);

// {"destinations": [{name, base_url, user, password_set, paused, max_concurrent, busy,
// ca_file, insecure, connect_timeout_ms, total_timeout_ms, header_names, retry: {…},
// queue: {pending, in_flight, failed, oldest_age_s}}…]}
core::Result<boost::json::value> ListDestinations(const Outbox& outbox);
// {"destination": name, "paused": true|false}
core::Result<boost::json::value> PauseDestination(Outbox& outbox, std::string_view name);
core::Result<boost::json::value> ResumeDestination(Outbox& outbox, std::string_view name);

// Prometheus text: causeway_outbox_queue_depth{destination,state} and
// causeway_outbox_oldest_pending_age_seconds{destination} and causeway_outbox_paused{destination}
// (gauges, from the store), then OutboxMetrics' counters and the attempt latency histogram.
core::Result<std::string> MetricsText(const Outbox& outbox);

// {"error": {"code": "CAUSEWAY/EXCHANGE/020", "message": "…", "target": "…"}}
boost::json::value ErrorJson(const core::Error& error);

// The message fields as JSON (times as ISO 8601 UTC with milliseconds). Without payload.
boost::json::object MessageJson(const MessageRecord& message);

}  // namespace causeway::exchange::admin
