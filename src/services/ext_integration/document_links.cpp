#include "services/ext_integration/document_links.h"

#include <cctype>
#include <optional>
#include <vector>

#include "core/ascii.h"
#include "core/base64.h"
#include "core/time_format.h"
#include "core/url.h"

namespace causeway::services::ext_integration {
namespace {

struct QueryItem {
  std::string_view raw;
  std::string name, value;
  bool has_value = false;
  bool decoded = true;
};

std::vector<QueryItem> SplitQuery(std::string_view query) {
  std::vector<QueryItem> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    QueryItem q;
    q.raw = item;
    size_t eq = item.find('=');
    q.has_value = eq != std::string_view::npos;
    q.decoded = core::PercentDecode(item.substr(0, eq), true, &q.name) &&
                (!q.has_value || core::PercentDecode(item.substr(eq + 1), true, &q.value));
    out.push_back(std::move(q));
  }
  return out;
}

// Lower-cased path, then each parameter but secKey as "name=value" (decoded), one per line.
std::string Canonical(std::string_view path, const std::vector<QueryItem>& items) {
  std::string out = core::ToLower(path);
  out += '\n';
  for (const auto& q : items) {
    if (q.name == "secKey") continue;
    out += q.name;
    if (q.has_value) {
      out += '=';
      out += q.value;
    }
    out += '\n';
  }
  return out;
}

std::optional<core::SystemTime> ParseStamp(std::string_view s) {
  if (s.size() != 14 || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  auto n = [&](size_t at, size_t len) { return std::stoi(std::string(s.substr(at, len))); };
  const int mo = n(4, 2), d = n(6, 2), h = n(8, 2), mi = n(10, 2), se = n(12, 2);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return std::nullopt;
  const int64_t days = core::DaysFromCivil(n(0, 4), static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return core::FromUnixMillis((days * 86400 + h * 3600 + mi * 60 + se) * 1000);
}

}  // namespace

DocumentLinks::DocumentLinks(std::string_view key, std::chrono::seconds validity, std::string system_id)
    : signer_(key), validity_(validity), system_id_(std::move(system_id)) {}

std::string DocumentLinks::Signature(std::string_view path, std::string_view raw_query) const {
  return core::PercentEncode(core::Base64Encode(signer_.Sign(Canonical(path, SplitQuery(raw_query)))));
}

std::string DocumentLinks::Make(const LinkSpec& spec, std::string_view base, std::string_view client,
                                core::SystemTime now) const {
  const std::string expiration = core::FormatSapTimestampShort(now + validity_);
  std::string path;
  std::string query;
  if (spec.attachment) {
    path = std::string(kContentServerPath) + core::PercentEncode(client);
    query = "get&pVersion=0046&contRep=CRMORDER&docId=" + core::PercentEncode(spec.id) + "&compId=" + core::PercentEncode(spec.name) +
            "&accessMode=r&authId=" + core::PercentEncode("CN=" + system_id_) + "&expiration=" + expiration;
  } else {
    path = std::string(kDocumentsPath) + core::PercentEncode(client);
    query = "_CLASS=SOLARGEN&_LOIO=" + core::PercentEncode(spec.id) +
            "&LANGUAGE=EN&RELEASE=620&IWB_INDUSTRY=/KWCUST/&TMP_IWB_TRY_OTHER_LANG=X&TMP_IWB_TRY_OTHER_IND=X"
            "&TMP_IWB_TASK=PREVIEW2&expiration=" +
            expiration;
  }
  std::string base_text(base);
  while (!base_text.empty() && base_text.back() == '/') base_text.pop_back();
  return base_text + path + "?" + query + "&secKey=" + Signature(path, query);
}

DocumentLinks::Verdict DocumentLinks::Check(std::string_view path, std::string_view raw_query,
                                            core::SystemTime now) const {
  Verdict v;
  if (core::IStartsWith(path, kContentServerPath)) {
    v.attachment = true;
  } else if (!core::IStartsWith(path, kDocumentsPath)) {
    v.reason = "not a document link";
    return v;
  }
  const std::vector<QueryItem> items = SplitQuery(raw_query);
  const QueryItem* key = nullptr;
  const QueryItem* expiration = nullptr;
  const QueryItem* id = nullptr;
  const std::string_view id_name = v.attachment ? "docId" : "_LOIO";
  for (const auto& q : items) {
    if (!q.decoded) {
      v.reason = "the query is malformed";
      return v;
    }
    const QueryItem** slot = q.name == "secKey" ? &key : q.name == "expiration" ? &expiration : q.name == id_name ? &id : nullptr;
    if (!slot) continue;
    if (*slot) {
      v.reason = "parameter " + q.name + " appears twice";
      return v;
    }
    *slot = &q;
  }
  if (!key || !expiration || !id) {
    v.reason = "the link is not signed";
    return v;
  }
  std::string given;
  if (!core::Base64Decode(key->value, &given) ||
      !core::ConstantTimeEquals(given, signer_.Sign(Canonical(path, items)))) {
    v.reason = "the link's signature does not match";
    return v;
  }
  v.id = id->value;
  auto expires = ParseStamp(expiration->value);
  if (!expires) {
    v.reason = "the expiration is malformed";
    return v;
  }
  if (now > *expires) {
    v.state = State::kExpired;
    v.reason = "the link expired at " + expiration->value + " UTC";
    return v;
  }
  v.state = State::kValid;
  return v;
}

}  // namespace causeway::services::ext_integration
