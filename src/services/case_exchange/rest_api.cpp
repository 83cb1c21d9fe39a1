#include "services/case_exchange/rest_api.h"

#include <vector>

#include "core/blocking.h"
#include "core/url.h"
#include "services/case_exchange/rest_answer.h"

namespace causeway::services::case_exchange {
namespace {

std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    std::string decoded;
    if (!core::PercentDecode(seg, false, &decoded)) decoded = std::string(seg);
    if (!decoded.empty()) out.push_back(std::move(decoded));
  }
  return out;
}

http::Response NotFound() {
  return RestError(core::MakeError(core::Code::kNotFound, "CAUSEWAY/CX", "103", "No such resource"));
}

// RFC 9110 §9.1, §9.3.2: a resource that answers GET answers HEAD alike (the server sends the head
// only, with the length the body would have had).
bool IsRead(const http::Request& req) { return req.method == "GET" || req.method == "HEAD"; }

http::Response WrongMethod(const http::Request& req, const char* allowed) {
  http::Response r = RestError(core::MakeError(core::Code::kMethodNotAllowed, "CAUSEWAY/CX", "104",
                                               "Method " + req.method + " is not allowed here; use " + allowed));
  r.headers.Add("allow", allowed);
  return r;
}

}  // namespace

http::Response RestApi::Handle(http::Request& req, std::string_view rest) {
  std::vector<std::string> seg = Segments(rest);
  if (seg.size() < 2) return NotFound();
  auto caller = logon_.Authenticate(req, seg[0]);
  if (!caller.ok()) return RestError(caller.error());
  auto query = QueryParams::Parse(req.Query(), kQueryMessages);
  if (!query.ok()) return RestError(query.error());
  Context ctx{*caller, desk_.directory(), nullptr, nullptr, std::move(*query), false};
  ctx.tenant = ctx.directory->FindTenant(ctx.caller.tenant);
  ctx.person = ctx.tenant ? ctx.tenant->FindPerson(ctx.caller.person_id) : nullptr;
  if (!ctx.tenant || !ctx.person) return RestError(core::MakeError(core::Code::kUnauthorized, "CAUSEWAY/CX", "132",
                                                                   "The token is invalid or expired; log on again"));
  ctx.may_write = ctx.person->HasRole("agent") || !ctx.tenant->SystemsAuthorizing(ctx.caller.login).empty();

  const std::string& area = seg[1];
  const size_t n = seg.size();
  if (area == "ces" && n == 2) {
    if (IsRead(req)) return CesGet(ctx);
    if (req.method == "POST")
      return AnswerWhenDurable(db_, [&] {
        // On an I/O thread the edit must not wait: it answers WouldBlock and CesPost hands over.
        core::NonBlockingScope no_waiting(req.on_io_thread);
        return CesPost(req, ctx);
      });
    return WrongMethod(req, "GET, HEAD, POST");
  }
  if (area == "ems" && n == 3 && seg[2] == "bulk") {
    if (req.method != "POST") return WrongMethod(req, "POST");
    return AnswerWhenDurable(db_, [&] { return Bulk(req, ctx); });
  }
  if (area == "ems" && (n == 3 || n == 4)) {
    if (!IsRead(req)) return WrongMethod(req, "GET, HEAD");
    return EmsGet(ctx, seg[2], n == 4 ? std::string_view(seg[3]) : std::string_view());
  }
  if (area == "collaboration" && n >= 5 && n <= 6 && seg[2] == "comments") {
    if (seg[3] != "Change" || (n == 6 && seg[5] != "comments")) return NotFound();
    if (IsRead(req)) return CommentsGet(ctx, seg[4]);
    if (req.method == "POST") return AnswerWhenDurable(db_, [&] { return CommentPost(req, ctx, seg[4]); });
    return WrongMethod(req, "GET, HEAD, POST");
  }
  if (area == "frs" && n >= 3 && n <= 4 && seg[2] == "file-list") {
    if (n == 3) {
      if (req.method != "POST") return WrongMethod(req, "POST");
      return AnswerWhenDurable(db_, [&] { return FileUpload(req, ctx); });
    }
    if (!IsRead(req)) return WrongMethod(req, "GET, HEAD");
    return FileDownload(ctx, seg[3]);
  }
  return NotFound();
}

}  // namespace causeway::services::case_exchange
