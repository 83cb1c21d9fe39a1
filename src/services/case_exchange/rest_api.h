// The tenant's REST API under /rest/<tenant>/ (spec B.3.2-B.3.4), after the caller's token
// was checked (logon.h):
//   GET  ces?layout=&type=&system=&time=&skip=&size=   poll of outgoing operations (ces_routes.cpp)
//   POST ces                                           incoming operations, per-entity results
//   GET  ems/Change[/<id>], ems/ExternalReference, ems/Person, ems/PersonGroup   (ems_routes.cpp)
//        ?layout=&filter=&order=&size=&skip=
//   POST ems/bulk   {"entities":[…],"operation":"CREATE"|"UPDATE"}
//   GET  collaboration/comments/Change/<id>/comments; POST …/Change/<id>[/comments]  (files_comments_routes.cpp)
//   POST frs/file-list (raw body, fs_filename header); GET frs/file-list/<guid>
// Who may do what: any person of the tenant reads; writes through EMS, comments and files need
// the role "agent" or being an external system's authorized user; the poll needs the polled
// system's authorized user; each incoming operation its system's (the domain checks).
// Whole-request failures answer RestError (rest_answer.h).
#pragma once

#include <memory>
#include <string_view>

#include "domain/changes/change_desk.h"
#include "http/message.h"
#include "services/case_exchange/cx_config.h"
#include "services/case_exchange/logon.h"
#include "services/case_exchange/query_params.h"

namespace causeway::services::case_exchange {

class RestApi {
 public:
  RestApi(changes::ChangeDesk& desk, store::Database& db, const Logon& logon, const Options& options)
      : desk_(desk), db_(db), logon_(logon), options_(options) {}

  // `rest`: the path after "/rest/".
  http::Response Handle(http::Request& req, std::string_view rest);

  // What every route gets: the caller and the directory snapshot of the request.
  struct Context {
    changes::Caller caller;
    std::shared_ptr<const changes::Directory> directory;
    const changes::Tenant* tenant = nullptr;
    const changes::Person* person = nullptr;
    QueryParams query;
    bool may_write = false;  // agent, or an external system's authorized user
  };

 private:
  http::Response CesGet(const Context& ctx);
  http::Response CesPost(const http::Request& req, const Context& ctx);
  http::Response EmsGet(const Context& ctx, std::string_view type, std::string_view id);
  http::Response Bulk(const http::Request& req, const Context& ctx);
  http::Response CommentsGet(const Context& ctx, std::string_view id);
  http::Response CommentPost(const http::Request& req, const Context& ctx, std::string_view id);
  http::Response FileUpload(const http::Request& req, const Context& ctx);
  http::Response FileDownload(const Context& ctx, std::string_view guid);

  changes::ChangeDesk& desk_;
  store::Database& db_;
  const Logon& logon_;
  const Options& options_;
};

}  // namespace causeway::services::case_exchange
