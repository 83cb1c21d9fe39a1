#include "services/ext_integration/document_endpoint.h"

#include "core/ascii.h"
#include "core/base64.h"
#include "core/url.h"
#include <spdlog/spdlog.h>
#include "services/ext_integration/status_service.h"

namespace causeway::services::ext_integration {
namespace {

constexpr char kControlService[] = "CAUSEWAY_CONTROL";

http::Response Plain(int status, std::string text) {
  http::Response r(status, "text/plain; charset=utf-8", std::move(text) + "\n");
  r.headers.Add("cache-control", "no-store");
  return r;
}

// "attachment; filename="Test Case 1.docx"; filename*=UTF-8''Test%20Case%201.docx"
std::string Disposition(std::string_view name) {
  std::string ascii;
  for (unsigned char c : name) ascii += (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') ? '_' : static_cast<char>(c);
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + core::PercentEncode(name);
}

enum class Logon { kNone, kOk, kFailed, kNotAuthorized };

Logon CheckBasic(FbRuntime& rt, const http::Request& req, std::string* user) {
  auto header = req.headers.Get("authorization");
  if (!header) return Logon::kNone;
  std::string_view h = core::Trim(*header);
  if (!core::IStartsWith(h, "basic ")) return Logon::kFailed;
  std::string decoded;
  if (!core::Base64Decode(core::Trim(h.substr(6)), &decoded)) return Logon::kFailed;
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) return Logon::kFailed;
  *user = decoded.substr(0, colon);
  if (rt.users->CheckPassword(*user, decoded.substr(colon + 1)) != security::UserDirectory::LogonResult::kOk)
    return Logon::kFailed;
  if (!rt.users->MayCall(*user, kServiceName) && !rt.users->MayCall(*user, kControlService)) return Logon::kNotAuthorized;
  return Logon::kOk;
}

}  // namespace

http::Response ServeDocument(FbRuntime& rt, const http::Request& req) {
  const DocumentLinks::Verdict verdict = rt.links->Check(req.Path(), req.Query(), rt.clock->Now());
  auto refuse = [&](int status, const std::string& text) {
    ++rt.downloads_refused;
    return Plain(status, text);
  };
  if (verdict.state == DocumentLinks::State::kInvalid) return refuse(403, "Forbidden: " + verdict.reason);
  if (verdict.state == DocumentLinks::State::kExpired) {
    std::string user;
    switch (CheckBasic(rt, req, &user)) {
      case Logon::kNone:
        return refuse(403, "Forbidden: " + verdict.reason + "; fetch it with the Basic credentials of a user allowed "
                           "to call EXT_INTEGRATION_SRV");
      case Logon::kFailed: {
        http::Response r = refuse(401, "Logon failed");
        r.headers.Add("www-authenticate", "Basic realm=\"SAP NetWeaver Application Server [" + rt.options.system_id +
                                              "/" + rt.options.sap_client + "]\"");
        return r;
      }
      case Logon::kNotAuthorized:
        return refuse(403, "Forbidden: user " + core::ToUpper(user) + " may not call EXT_INTEGRATION_SRV");
      case Logon::kOk:
        break;
    }
  }
  auto stored = rt.items->ReadDocument(verdict.id);
  if (!stored.ok()) {
    if (stored.error().code == core::Code::kNotFound) return refuse(404, "Not found: the document no longer exists");
    spdlog::error("fb: reading document {} failed: {}", verdict.id, stored.error().text);
    return refuse(500, "Internal server error");
  }
  if (stored->meta.kind == workitems::DocumentKind::kAttachment) {
    if (!verdict.attachment) return refuse(404, "Not found: the link names an attachment as a document");
  } else if (verdict.attachment) {
    return refuse(404, "Not found: the link names a document as an attachment");
  }
  std::string content;
  if (!core::Base64Decode(stored->content_base64, &content)) {
    spdlog::error("fb: document {} has unreadable content", verdict.id);
    return refuse(500, "Internal server error");
  }
  const auto& meta = stored->meta;
  http::Response r(200, meta.content_type, std::move(content));
  const std::string& name = meta.kind == workitems::DocumentKind::kAttachment ? meta.technical_name : meta.file_name;
  r.headers.Add("content-disposition", Disposition(name));
  r.headers.Add("cache-control", "no-store");
  ++rt.downloads;
  return r;
}

}  // namespace causeway::services::ext_integration
