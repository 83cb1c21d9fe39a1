#include "exchange/outbox_admin.h"

#include <boost/json.hpp>

#include <charconv>
#include <cstdio>

#include "core/time_format.h"

namespace causeway::exchange::admin {
namespace {

namespace json = boost::json;

core::Error BadParameter(std::string name, std::string text) {
  core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/EXCHANGE", "040", std::move(text));
  e.target = std::move(name);
  return e;
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// "2024-01-01T12:00:00.123Z"
std::string Iso(core::SystemTime t) {
  std::string s = core::FormatIso8601(t);  // …:ssZ
  int64_t ms = core::ToUnixMillis(t) % 1000;
  if (ms < 0) ms += 1000;
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms));
  if (!s.empty() && s.back() == 'Z') s.insert(s.size() - 1, frac);
  return s;
}

json::value OptTime(const std::optional<core::SystemTime>& t) {
  return t ? json::value(Iso(*t)) : json::value(nullptr);
}

json::value OptString(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

json::object AttemptJson(const AttemptRecord& a) {
  return json::object{{"attempt", a.attempt},
                      {"started_at", Iso(a.started)},
                      {"latency_ms", static_cast<double>(a.latency.count()) / 1000.0},
                      {"status", a.status},
                      {"outcome", a.outcome},
                      {"error", a.error},
                      {"answer_head", a.answer_head}};
}

const char* JitterName(Jitter j) {
  switch (j) {
    case Jitter::kNone: return "none";
    case Jitter::kFull: return "full";
    case Jitter::kDecorrelated: return "decorrelated";
  }
  return "full";
}

}  // namespace

core::Result<MessageFilter> ParseListQuery(const std::map<std::string, std::string, std::less<>>& query) {
  MessageFilter f;
  for (const auto& [name, value] : query) {
    if (name == "destination") {
      f.destination = value;
    } else if (name == "key") {
      f.ordering_key = value;
    } else if (name == "state") {
      f.state = ParseMessageState(value);
      if (!f.state) return BadParameter(name, "state must be pending, in_flight, delivered, failed or skipped");
    } else if (name == "after") {
      auto v = ParseInt(value);
      if (!v || *v < 0) return BadParameter(name, "after must be a message id");
      f.after = *v;
    } else if (name == "limit") {
      auto v = ParseInt(value);
      if (!v || *v < 1 || *v > 1000) return BadParameter(name, "limit must lie between 1 and 1000");
      f.limit = static_cast<int>(*v);
    } else {
      return BadParameter(name, "unknown parameter " + name + " (destination, key, state, after, limit)");
    }
  }
  return f;
}

core::Result<MessageId> ParseMessageId(std::string_view text) {
  auto v = ParseInt(text);
  if (!v || *v <= 0) return BadParameter("id", "a message id is a positive number");
  return *v;
}

json::object MessageJson(const MessageRecord& m) {
  json::object depends_on;
  if (m.depends_on.message != 0) depends_on["message"] = m.depends_on.message;
  if (!m.depends_on.created_object.empty()) depends_on["created_object"] = m.depends_on.created_object;
  json::object lease;
  if (m.lease_owner) {
    lease["owner"] = *m.lease_owner;
    lease["expires_at"] = OptTime(m.lease_expires);
  }
  return json::object{
      {"id", m.id},
      {"destination", m.destination},
      {"kind", m.kind},
      {"ordering_key", m.ordering_key},
      {"object_key", m.object_key},
      {"seq", m.seq},
      {"state", std::string(MessageStateName(m.state))},
      {"head", m.head},
      {"creates", m.creates},
      {"idempotency_key", m.idempotency_key},
      {"depends_on", m.depends_on.empty() ? json::value(nullptr) : json::value(std::move(depends_on))},
      {"coalesced", m.coalesced},
      {"created_at", Iso(m.created)},
      {"not_before", Iso(m.not_before)},
      {"attempts", m.attempts},
      {"last_attempt_at", OptTime(m.last_attempt)},
      {"finished_at", OptTime(m.finished)},
      {"maybe_received", m.maybe_received},
      {"lease", m.lease_owner ? json::value(std::move(lease)) : json::value(nullptr)},
      {"result", OptString(m.result)},
      {"last_error", m.last_error},
      {"payload_length", m.payload_length},
  };
}

core::Result<json::value> ListMessages(const Outbox& outbox, const MessageFilter& filter) {
  CW_ASSIGN_OR_RETURN(MessagePage page, outbox.List(filter));
  json::array messages;
  messages.reserve(page.messages.size());
  for (const MessageRecord& m : page.messages) messages.push_back(MessageJson(m));
  return json::value(json::object{
      {"messages", std::move(messages)},
      {"next_after", page.next_after ? json::value(page.next_after) : json::value(nullptr)},
  });
}

core::Result<json::value> ShowMessage(const Outbox& outbox, MessageId id) {
  CW_ASSIGN_OR_RETURN(MessageDetail d, outbox.Get(id));
  json::object message = MessageJson(d.message);
  message["payload"] = d.message.payload;
  json::array attempts;
  for (const AttemptRecord& a : d.attempts) attempts.push_back(AttemptJson(a));
  return json::value(json::object{{"message", std::move(message)}, {"attempts", std::move(attempts)}});
}

core::Result<json::value> RetryMessage(Outbox& outbox, MessageId id) {
  CW_RETURN_IF_ERROR(outbox.Retry(id));
  return ShowMessage(outbox, id);
}

core::Result<json::value> SkipMessage(Outbox& outbox, MessageId id) {
  CW_RETURN_IF_ERROR(outbox.Skip(id));
  return ShowMessage(outbox, id);
}

core::Result<json::value> ListDestinations(const Outbox& outbox) {
  CW_ASSIGN_OR_RETURN(std::vector<QueueDepth> depths, outbox.Depths());
  const core::SystemTime now = outbox.clock().Now();
  json::array out;
  for (const DestinationInfo& d : outbox.Destinations()) {
    json::object queue{{"pending", 0}, {"in_flight", 0}, {"failed", 0}, {"oldest_age_s", nullptr}};
    for (const QueueDepth& q : depths) {
      if (q.destination != d.name) continue;
      queue["pending"] = q.pending;
      queue["in_flight"] = q.in_flight;
      queue["failed"] = q.failed;
      if (q.oldest_created) {
        queue["oldest_age_s"] = std::chrono::duration<double>(now - *q.oldest_created).count();
      }
    }
    json::array headers;
    for (const std::string& h : d.header_names) headers.push_back(json::value(h));
    out.push_back(json::object{
        {"name", d.name},
        {"base_url", d.base_url},
        {"user", d.user},
        {"password_set", d.has_password},
        {"paused", d.paused},
        {"max_concurrent", d.max_concurrent},
        {"busy", d.busy},
        {"ca_file", d.ca_file},
        {"insecure", d.insecure},
        {"connect_timeout_ms", d.connect_timeout.count()},
        {"total_timeout_ms", d.total_timeout.count()},
        {"header_names", std::move(headers)},
        {"retry",
         json::object{{"initial_ms", d.retry.initial.count()},
                      {"max_delay_ms", d.retry.max_delay.count()},
                      {"multiplier", d.retry.multiplier},
                      {"jitter", JitterName(d.retry.jitter)},
                      {"max_attempts", d.retry.max_attempts},
                      {"max_age_s", std::chrono::duration_cast<std::chrono::seconds>(d.retry.max_age).count()}}},
        {"queue", std::move(queue)},
    });
  }
  return json::value(json::object{{"destinations", std::move(out)}});
}

core::Result<json::value> PauseDestination(Outbox& outbox, std::string_view name) {
  CW_RETURN_IF_ERROR(outbox.Pause(name));
  return json::value(json::object{{"destination", name}, {"paused", true}});
}

core::Result<json::value> ResumeDestination(Outbox& outbox, std::string_view name) {
  CW_RETURN_IF_ERROR(outbox.Resume(name));
  return json::value(json::object{{"destination", name}, {"paused", false}});
}

core::Result<std::string> MetricsText(const Outbox& outbox) {
  CW_ASSIGN_OR_RETURN(std::vector<QueueDepth> depths, outbox.Depths());
  const core::SystemTime now = outbox.clock().Now();
  std::string out;
  out += "# HELP causeway_outbox_queue_depth Unfinished outbox messages by destination and state.\n";
  out += "# TYPE causeway_outbox_queue_depth gauge\n";
  for (const QueueDepth& q : depths) {
    const std::string label = "destination=\"" + PrometheusLabel(q.destination) + "\"";
    out += "causeway_outbox_queue_depth{" + label + ",state=\"pending\"} " + std::to_string(q.pending) + "\n";
    out += "causeway_outbox_queue_depth{" + label + ",state=\"in_flight\"} " + std::to_string(q.in_flight) + "\n";
    out += "causeway_outbox_queue_depth{" + label + ",state=\"failed\"} " + std::to_string(q.failed) + "\n";
  }
  out += "# HELP causeway_outbox_oldest_pending_age_seconds Age of the oldest unfinished message (0: none).\n";
  out += "# TYPE causeway_outbox_oldest_pending_age_seconds gauge\n";
  char buf[64];
  for (const QueueDepth& q : depths) {
    double age = q.oldest_created ? std::max(0.0, std::chrono::duration<double>(now - *q.oldest_created).count()) : 0.0;
    std::snprintf(buf, sizeof buf, "%.3f", age);
    out += "causeway_outbox_oldest_pending_age_seconds{destination=\"" + PrometheusLabel(q.destination) + "\"} " +
           buf + "\n";
  }
  out += "# HELP causeway_outbox_paused Whether delivery to the destination is paused.\n";
  out += "# TYPE causeway_outbox_paused gauge\n";
  for (const DestinationInfo& d : outbox.Destinations()) {
    out += "causeway_outbox_paused{destination=\"" + PrometheusLabel(d.name) + "\"} " + (d.paused ? "1" : "0") + "\n";
  }
  outbox.metrics().Render(out);
  return out;
}

json::value ErrorJson(const core::Error& error) {
  json::object e{{"code", error.GatewayCode()}, {"message", error.text}};
  if (!error.target.empty()) e["target"] = error.target;
  return json::object{{"error", std::move(e)}};
}

}  // namespace causeway::exchange::admin
