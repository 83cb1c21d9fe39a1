// Comments (collaboration/comments/Change/<id>) and files (frs/file-list).
#include <algorithm>

#include "core/ascii.h"
#include "core/utf8.h"
#include "domain/changes/change_errors.h"
#include "services/case_exchange/entity_json.h"
#include "services/case_exchange/entity_writer.h"
#include "services/case_exchange/rest_answer.h"
#include "services/case_exchange/rest_api.h"

namespace causeway::services::case_exchange {
namespace json = boost::json;

namespace {

json::object FileJson(const changes::FileInfo& f) {
  return {{"guid", f.guid},
          {"name", core::ValidUtf8(f.name)},
          {"contentLength", f.length},
          {"contentType", core::ValidUtf8(f.content_type)},
          {"creator", f.creator},
          {"lastModified", f.created_ms}};
}

}  // namespace

// Private comments are the agents' own (SMAX's PrivacyType PRIVATE: not for the requester, and
// never pushed or polled): only a person with the role agent reads them.
http::Response RestApi::CommentsGet(const Context& ctx, std::string_view id) {
  auto comments = desk_.Comments(ctx.caller.tenant, id);
  if (!comments.ok()) return RestError(comments.error());
  const bool agent = ctx.person->HasRole("agent");
  std::string body = "[";
  bool first = true;
  for (const changes::Comment& c : *comments) {
    if (c.privacy != "PUBLIC" && !agent) continue;
    if (!first) body += ',';
    first = false;
    AppendComment(body, c);
  }
  body += ']';
  return JsonTextAnswer(200, std::move(body));
}

http::Response RestApi::CommentPost(const http::Request& req, const Context& ctx, std::string_view id) {
  if (!ctx.may_write) return RestError(changes::errors::NotAllowed("adding comments needs the role agent"));
  json::error_code ec;
  json::value body = json::parse(core::WithoutUtf8Bom(req.body), ec);
  if (ec || !body.is_object())
    return RestError(core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CX", "122",
                                     "The body must be a comment object {\"Body\":…,\"PrivacyType\":…}"));
  auto comment = ParseComment(body.as_object());
  if (!comment.ok()) return RestError(comment.error());
  const std::string posted = comment->body;
  auto outcome = desk_.AddComment(ctx.caller, id, std::move(*comment));
  if (!outcome.ok()) return RestError(outcome.error());
  if (!outcome->status.ok()) return RestError(outcome->status.error());
  // The comment just added, or the one it repeats (not added again): the last with its body,
  // which the record holds either way.
  const auto& comments = outcome->state->comments;
  auto it =
      std::find_if(comments.rbegin(), comments.rend(), [&](const changes::Comment& c) { return c.body == posted; });
  std::string answer;
  AppendComment(answer, it != comments.rend() ? *it : comments.back());
  return JsonTextAnswer(200, std::move(answer));
}

http::Response RestApi::FileUpload(const http::Request& req, const Context& ctx) {
  if (!ctx.may_write) return RestError(changes::errors::NotAllowed("uploading files needs the role agent"));
  auto name = req.headers.Get("fs_filename");
  if (!name || core::Trim(*name).empty()) {
    core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CX", "140", "The fs_filename header names the file");
    e.target = "fs_filename";
    return RestError(e);
  }
  if (static_cast<int64_t>(req.body.size()) > options_.max_file_bytes)
    return RestError(core::MakeError(core::Code::kPayloadTooLarge, "CAUSEWAY/CX", "141",
                                     "Files may have at most " + std::to_string(options_.max_file_bytes) + " bytes"));
  std::string type(req.headers.Get("content-type").value_or("application/octet-stream"));
  auto f = desk_.StoreFile(ctx.caller, core::Trim(*name), type, req.body);
  if (!f.ok()) return RestError(f.error());
  return JsonAnswer(200, FileJson(*f));
}

http::Response RestApi::FileDownload(const Context& ctx, std::string_view guid) {
  auto f = desk_.LoadFile(ctx.caller.tenant, guid);
  if (!f.ok()) return RestError(f.error());
  if (!*f)
    return RestError(core::MakeError(core::Code::kNotFound, "CAUSEWAY/CX", "142", "File " + std::string(guid) + " does not exist"));
  auto& [info, content] = **f;
  http::Response r(200, info.content_type.empty() ? "application/octet-stream" : info.content_type, std::move(content));
  std::string safe;
  for (char c : info.name) safe += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
  r.headers.Add("content-disposition", "attachment; filename=\"" + safe + "\"");
  return r;
}

}  // namespace causeway::services::case_exchange
