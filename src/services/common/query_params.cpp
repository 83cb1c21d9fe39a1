#include "services/common/query_params.h"

#include <charconv>

#include "core/url.h"

namespace causeway::services {

core::Result<QueryParams> QueryParams::Parse(std::string_view query, const QueryMessages& messages) {
  QueryParams q;
  q.messages_ = messages;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    std::string name, value;
    if (!core::PercentDecode(item.substr(0, eq), true, &name) ||
        (eq != std::string_view::npos && !core::PercentDecode(item.substr(eq + 1), true, &value)))
      return core::MakeError(core::Code::kBadRequest, messages.message_class, messages.malformed,
                             "Malformed query string");
    q.values_[std::move(name)] = std::move(value);
  }
  return q;
}

std::optional<std::string> QueryParams::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string QueryParams::GetOr(std::string_view name, std::string fallback) const {
  auto v = Get(name);
  return v ? *v : std::move(fallback);
}

core::Result<int64_t> QueryParams::Int(std::string_view name, int64_t fallback, int64_t min, int64_t max) const {
  auto v = Get(name);
  if (!v || v->empty()) return fallback;
  int64_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || out < min || out > max) {
    core::Error e = core::MakeError(core::Code::kBadRequest, messages_.message_class, messages_.bad_number,
                                    "Query parameter " + std::string(name) + " must be a whole number from " +
                                        std::to_string(min) + " to " + std::to_string(max));
    e.target = std::string(name);
    return e;
  }
  return out;
}

}  // namespace causeway::services
