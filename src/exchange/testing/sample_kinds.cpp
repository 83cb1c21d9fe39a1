#include "exchange/testing/sample_kinds.h"

#include <boost/json.hpp>

namespace causeway::exchange::testing {
namespace {

namespace json = boost::json;

core::Error Bad(std::string text) {
  return core::MakeError(core::Code::kBadRequest, "CAUSEWAY/EXCHANGE", "099", std::move(text));
}

core::Result<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Bad("not a JSON object");
  return v.as_object();
}

std::string Field(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

OutboundRequest JsonRequest(std::string method, std::string path, const json::object& body) {
  OutboundRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.headers.Set("Content-Type", "application/json");
  r.body = json::serialize(body);
  return r;
}

core::Result<std::string> ExternalId(const OutgoingMessage&, const HttpOutcome& answer) {
  auto o = ParseObject(answer.body);
  if (!o.ok()) return Bad("the answer is not a JSON object");
  std::string id = Field(*o, "EXTERNAL_ID");
  if (id.empty()) return Bad("the answer has no EXTERNAL_ID");
  return id;
}

core::Result<std::string> ParentExternalId(const OutgoingMessage& m) {
  if (!m.dependency || !m.dependency->result || m.dependency->result->empty()) {
    return Bad("work package " + (m.dependency ? m.dependency->object_key : std::string("?")) +
               " has no EXTERNAL_ID (its create was not delivered)");
  }
  return *m.dependency->result;
}

}  // namespace

KindRegistry SampleKinds() {
  KindRegistry kinds;
  kinds["fb.wp.create"] = MakeKind({.creates = true,
                                    .build = [](const OutgoingMessage& m) -> core::Result<OutboundRequest> {
                                      CW_ASSIGN_OR_RETURN(json::object p, ParseObject(m.payload));
                                      std::string guid = Field(p, "guid");
                                      return JsonRequest("POST", "/fb/create/wp/" + guid,
                                                         {{"GUID", guid}, {"TITLE", Field(p, "title")}});
                                    },
                                    .result = ExternalId});
  kinds["fb.wp.update"] = MakeKind({.creates = false,
                                    .build = [](const OutgoingMessage& m) -> core::Result<OutboundRequest> {
                                      CW_ASSIGN_OR_RETURN(json::object p, ParseObject(m.payload));
                                      CW_ASSIGN_OR_RETURN(std::string external_id, ParentExternalId(m));
                                      CW_ASSIGN_OR_RETURN(std::string path,
                                                          FillPlaceholders("/fb/wp/#EXTERNAL_ID#",
                                                                           {{"EXTERNAL_ID", external_id}}));
                                      return JsonRequest("PUT", path, {{"TITLE", Field(p, "title")}});
                                    },
                                    .result = nullptr});
  kinds["fb.wi.create"] = MakeKind({.creates = true,
                                    .build = [](const OutgoingMessage& m) -> core::Result<OutboundRequest> {
                                      CW_ASSIGN_OR_RETURN(json::object p, ParseObject(m.payload));
                                      CW_ASSIGN_OR_RETURN(std::string parent, ParentExternalId(m));
                                      std::string guid = Field(p, "guid");
                                      return JsonRequest("POST", "/fb/create/wi/" + guid,
                                                         {{"GUID", guid},
                                                          {"TITLE", Field(p, "title")},
                                                          {"PARENT_EXTERNAL_ID", parent}});
                                    },
                                    .result = ExternalId});
  kinds["cx.op"] = MakeKind({.creates = false,
                             .build = [](const OutgoingMessage& m) -> core::Result<OutboundRequest> {
                               CW_ASSIGN_OR_RETURN(json::object p, ParseObject(m.payload));
                               return JsonRequest("POST", "/cx/" + Field(p, "record") + "/" + Field(p, "op"), p);
                             },
                             .result = nullptr});
  return kinds;
}

std::string WorkPackagePayload(const std::string& guid, const std::string& title) {
  return json::serialize(json::object{{"guid", guid}, {"title", title}});
}

std::string WorkPackageUpdatePayload(const std::string& title) {
  return json::serialize(json::object{{"title", title}});
}

std::string CaseOperationPayload(const std::string& record, const std::string& op, int n) {
  return json::serialize(json::object{{"record", record}, {"op", op}, {"n", n}});
}

std::string ExternalIdAnswer(const std::string& id) { return json::serialize(json::object{{"EXTERNAL_ID", id}}); }

}  // namespace causeway::exchange::testing
