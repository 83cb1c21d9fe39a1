#include "soap/fault.h"

#include "core/time_format.h"
#include "soap/xml_writer.h"

namespace causeway::soap {

const char* ContentTypeOf(SoapVersion v) {
  return v == SoapVersion::k12 ? "application/soap+xml; charset=utf-8" : "text/xml; charset=utf-8";
}

namespace {

struct Prefix {
  std::string_view open;   // "<soap-env:Envelope xmlns:soap-env=\"…\"><soap-env:Header/><soap-env:Body>"
  std::string_view close;  // "</soap-env:Body></soap-env:Envelope>"
};

Prefix PrefixOf(SoapVersion v) {
  if (v == SoapVersion::k12)
    return {"<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Header/><env:Body>",
            "</env:Body></env:Envelope>"};
  return {"<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap-env:Header/><soap-env:Body>",
          "</soap-env:Body></soap-env:Envelope>"};
}

}  // namespace

std::string WrapInEnvelope(SoapVersion v, std::string_view payload) {
  Prefix p = PrefixOf(v);
  std::string out;
  out.reserve(p.open.size() + payload.size() + p.close.size());
  out += p.open;
  out += payload;
  out += p.close;
  return out;
}

std::string FaultEnvelope(SoapVersion v, std::string_view reason) {
  XmlWriter w(512);
  if (v == SoapVersion::k12) {
    w.Open("env:Fault")
        .Open("env:Code").Leaf("env:Value", "env:Receiver").Close()
        .Open("env:Reason").Open("env:Text").Attr("xml:lang", "en").Text(reason).Close().Close()
        .Open("env:Detail").Close()
        .Close();
  } else {
    w.Open("soap-env:Fault")
        .Leaf("faultcode", "soap-env:Server")
        .Open("faultstring").Attr("xml:lang", "en").Text(reason).Close()
        .Open("detail").Close()
        .Close();
  }
  return WrapInEnvelope(v, w.str());
}

std::string ProcessingErrorText(core::SystemTime at, std::string_view transaction_id) {
  return "Web service processing error; more details in the web service error log on provider side (UTC timestamp " +
         core::FormatSapTimestampShort(at) + "; Transaction ID " + std::string(transaction_id) + ")";
}

std::string AuthorizationRoleMissingText(std::string_view interface_namespace, std::string_view interface_name,
                                         std::string_view operation, core::SystemTime at,
                                         std::string_view transaction_id) {
  std::string ns(interface_namespace);
  return "Authorization role missing for service \"ServiceInterface " + ns + " " + std::string(interface_name) +
         " <default> <default>\", operation \"Operation " + ns + " " + std::string(operation) +
         "\" (UTC timestamp " + core::FormatSapTimestampShort(at) + "; Transaction ID " +
         std::string(transaction_id) + ")";
}

}  // namespace causeway::soap
