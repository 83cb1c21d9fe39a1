#include "odata/gateway_error.h"

#include "core/ascii.h"
#include "core/utf8.h"
#include "core/random.h"
#include "core/time_format.h"

namespace causeway::odata {
namespace {

constexpr char kTransactionText[] =
    "For backend administrators: use ADT feed reader \"SAP Gateway Error Log\" or run transaction "
    "/IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above for more details";
constexpr char kNoteText[] =
    "See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)";
// The text of Gateway releases before SAP_GWFND 7.50 (the Focused Build guide's example).
constexpr char kLegacyTransactionText[] =
    "Run transaction /IWFND/ERROR_LOG on SAP NW Gateway hub system and search for entries with the timestamp above "
    "for more details";
constexpr char kBatchNoteText[] =
    "See SAP Note 1869434 for details about working with $batch (https://service.sap.com/sap/support/notes/1869434)";

// Gateway lists the main message again as the first error detail when the application gave none.
std::vector<core::ErrorDetail> DetailsOf(const core::Error& e) {
  if (!e.details.empty()) return e.details;
  core::ErrorDetail d;
  d.code = e.GatewayCode();
  d.message = e.text;
  d.target = e.target;
  d.severity = core::Severity::kError;
  return {d};
}

std::string Lang(std::string_view language) { return language.empty() ? "en" : core::ToLower(language); }

}  // namespace

ErrorStamp NewErrorStamp(const core::Clock& clock) {
  return ErrorStamp{core::RandomHexUpper(16), core::FormatSapTimestamp(clock.Now())};
}

// Error texts echo what clients sent (segments, literals, filter fragments): the body must be
// well-formed whatever that was.
core::Error WireSafe(const core::Error& e, bool for_xml) {
  core::Error out = e;
  out.text = core::ValidUtf8(e.text, for_xml);
  for (auto& d : out.details) {
    d.message = core::ValidUtf8(d.message, for_xml);
    d.target = core::ValidUtf8(d.target, for_xml);
  }
  return out;
}

std::string GatewayErrorJson(const core::Error& raw, const ServiceInfo& info, std::string_view language,
                             const ErrorStamp& stamp) {
  const core::Error e = WireSafe(raw, /*for_xml=*/false);
  std::string out = "{\"error\":{\"code\":";
  AppendJsonString(out, e.GatewayCode());
  out += ",\"message\":{\"lang\":";
  AppendJsonString(out, Lang(language));
  out += ",\"value\":";
  AppendJsonString(out, e.text);
  out += "},\"innererror\":{";
  if (!info.legacy_error_body) {
    out += "\"application\":{\"component_id\":";
    AppendJsonString(out, info.component_id);
    out += ",\"service_namespace\":";
    AppendJsonString(out, info.service_namespace);
    out += ",\"service_id\":";
    AppendJsonString(out, info.service_id);
    out += ",\"service_version\":";
    AppendJsonString(out, info.service_version);
    out += "},";
  }
  out += "\"transactionid\":";
  AppendJsonString(out, stamp.transaction_id);
  out += ",\"timestamp\":";
  AppendJsonString(out, stamp.timestamp);
  out += ",\"Error_Resolution\":{\"SAP_Transaction\":";
  AppendJsonString(out, info.legacy_error_body ? kLegacyTransactionText : kTransactionText);
  out += ",\"SAP_Note\":";
  AppendJsonString(out, kNoteText);
  if (!info.legacy_error_body) {
    out += ",\"Batch_SAP_Note\":";
    AppendJsonString(out, kBatchNoteText);
  }
  out += "},\"errordetails\":[";
  bool first = true;
  for (const auto& d : DetailsOf(e)) {
    if (!first) out += ',';
    first = false;
    out += "{\"code\":";
    AppendJsonString(out, d.code);
    out += ",\"message\":";
    AppendJsonString(out, d.message);
    out += ",\"propertyref\":";
    AppendJsonString(out, d.target);
    out += ",\"severity\":";
    AppendJsonString(out, core::SeverityName(d.severity));
    out += ",\"target\":";
    AppendJsonString(out, d.target);
    out += '}';
  }
  out += "]}}}";
  return out;
}

std::string GatewayErrorXml(const core::Error& raw, const ServiceInfo& info, std::string_view language,
                            const ErrorStamp& stamp) {
  const core::Error e = WireSafe(raw, /*for_xml=*/true);
  auto elem = [](std::string& out, std::string_view name, std::string_view value) {
    out += '<';
    out += name;
    if (value.empty()) {
      out += "/>";
      return;
    }
    out += '>';
    AppendXmlEscaped(out, value);
    out += "</";
    out += name;
    out += '>';
  };
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
      "<error xmlns=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\">";
  elem(out, "code", e.GatewayCode());
  out += "<message xml:lang=\"";
  AppendXmlEscaped(out, Lang(language), true);
  out += "\">";
  AppendXmlEscaped(out, e.text);
  out += "</message><innererror>";
  if (!info.legacy_error_body) {
    out += "<application>";
    elem(out, "component_id", info.component_id);
    elem(out, "service_namespace", info.service_namespace);
    elem(out, "service_id", info.service_id);
    elem(out, "service_version", info.service_version);
    out += "</application>";
  }
  elem(out, "transactionid", stamp.transaction_id);
  elem(out, "timestamp", stamp.timestamp);
  out += "<Error_Resolution>";
  elem(out, "SAP_Transaction", info.legacy_error_body ? kLegacyTransactionText : kTransactionText);
  elem(out, "SAP_Note", kNoteText);
  if (!info.legacy_error_body) elem(out, "Batch_SAP_Note", kBatchNoteText);
  out += "</Error_Resolution><errordetails>";
  for (const auto& d : DetailsOf(e)) {
    out += "<errordetail>";
    elem(out, "code", d.code);
    elem(out, "message", d.message);
    elem(out, "propertyref", d.target);
    elem(out, "severity", core::SeverityName(d.severity));
    elem(out, "target", d.target);
    out += "</errordetail>";
  }
  out += "</errordetails></innererror></error>";
  return out;
}

http::Response GatewayErrorResponse(const core::Error& e, Format format, const ServiceInfo& info,
                                    std::string_view language, const core::Clock& clock) {
  ErrorStamp stamp = NewErrorStamp(clock);
  http::Response r;
  r.status = e.HttpStatus();
  if (format == Format::kJson) {
    r.headers.Add("content-type", "application/json; charset=utf-8");
    r.body = GatewayErrorJson(e, info, language, stamp);
  } else {
    r.headers.Add("content-type", "application/xml;charset=utf-8");
    r.body = GatewayErrorXml(e, info, language, stamp);
  }
  r.headers.Add("dataserviceversion", "1.0");
  return r;
}

Format GuessFormat(const http::Request& req, std::string_view raw_query) {
  if (raw_query.find("$format=json") != std::string_view::npos ||
      raw_query.find("%24format=json") != std::string_view::npos)
    return Format::kJson;
  auto accept = req.headers.Get("accept");
  if (accept && core::ToLower(*accept).find("application/json") != std::string::npos) return Format::kJson;
  return Format::kAtom;
}

http::Response NoServiceFound(const http::Request& req, std::string_view raw_query, std::string_view namespace_segment,
                              std::string_view service, int version, const core::Clock& clock) {
  ServiceInfo info;
  info.service_namespace = "/" + core::ToUpper(namespace_segment) + "/";
  info.service_id = core::ToUpper(service);
  std::string v = std::to_string(version);
  info.service_version = std::string(v.size() < 4 ? 4 - v.size() : 0, '0') + v;
  core::Error e = core::MakeError(core::Code::kNotFound, "/IWFND/MED", "170",
                                  "No service found for namespace '&1', name '&2', version '&3'",
                                  {info.service_namespace, info.service_id, info.service_version});
  return GatewayErrorResponse(e, GuessFormat(req, raw_query), info, req.sap_language, clock);
}

}  // namespace causeway::odata
