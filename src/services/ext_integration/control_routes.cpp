#include "services/ext_integration/control_routes.h"

#include <boost/json.hpp>

#include <map>
#include <vector>

#include "core/url.h"
#include "core/utf8.h"
#include "domain/workitems/workitems_errors.h"
#include "exchange/outbox_admin.h"
#include "services/common/control_methods.h"
#include "services/common/problem_json.h"
#include "services/common/query_params.h"
#include "services/ext_integration/customizing_codec.h"
#include "services/ext_integration/object_json.h"
#include "services/ext_integration/push_kinds.h"
#include "services/ext_integration/status_service.h"

namespace causeway::services::ext_integration {
namespace {

namespace json = boost::json;
using workitems::WorkObject;

core::Error NotFound() { return ControlError(core::Code::kNotFound, "001", "Unknown control resource"); }

std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> parts;
  while (!s.empty()) {
    size_t slash = s.find('/');
    std::string part;
    if (!core::PercentDecode(s.substr(0, slash), false, &part)) part = "\x01";  // matches nothing
    parts.push_back(std::move(part));
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash + 1);
  }
  return parts;
}

core::Result<json::value> ParseBody(const http::Request& req) {
  boost::system::error_code ec;
  json::value v = json::parse(core::WithoutUtf8Bom(req.body), ec);
  if (ec) return workitems::BadField("body", "is not JSON: " + ec.message());
  return v;
}

std::string FillExternalId(std::string_view uri, std::string_view external_id) {
  std::string out(uri);
  for (size_t at = out.find("#EXTERNAL_ID#"); at != std::string::npos; at = out.find("#EXTERNAL_ID#", at))
    out.replace(at, 13, core::PercentEncode(external_id));
  return out;
}

class Routes {
 public:
  Routes(FbRuntime& rt, http::Request& req)
      : rt_(rt), req_(req), method_(ControlMethod(req)), actor_{req.user, rt.LinkBase(req)} {}

  http::Response Handle(std::string_view rest) {
    const std::vector<std::string> p = Split(rest);
    if (p.empty()) return ProblemJson(NotFound());
    if (p[0] == "system" && p.size() == 1) return Get([&] { return System(); });
    if (p[0] == "customizing") return Customizing(p);
    if (p[0] != "objects") return ProblemJson(NotFound());
    if (p.size() == 1) {
      if (method_ == "GET") return List();
      if (method_ == "POST") return Create();
      return MethodNotAllowed({"GET", "POST"});
    }
    const std::string& id = p[1];
    if (p.size() == 2) {
      if (method_ == "GET") return Show(id);
      if (method_ == "PATCH") return Change(id);
      return MethodNotAllowed({"GET", "PATCH"});
    }
    const std::string& what = p[2];
    if (p.size() == 3 && what == "texts") return Post([&] { return AddText(id); });
    if (p.size() == 3 && what == "status") {
      if (method_ != "POST" && method_ != "PUT") return MethodNotAllowed({"POST", "PUT"});
      return SetStatus(id);
    }
    if (p.size() == 3 && what == "documents") return Post([&] { return AddDocument(id); });
    if (p.size() == 4 && what == "documents") {
      if (method_ != "DELETE") return MethodNotAllowed({"DELETE"});
      return Saved(rt_.items->RemoveDocument(id, p[3], actor_));
    }
    if (p.size() == 3 && what == "links") return Get([&] { return Links(id); });
    if (p.size() == 3 && what == "history") return Get([&] { return History(id); });
    if (p.size() == 3 && what == "pushes") return Get([&] { return Pushes(id); });
    if (p.size() == 4 && what == "actions") {
      if (p[3] != "S1_CALL_EXT")
        return ProblemJson(ControlError(core::Code::kNotFound, "001", "Unknown action " + p[3] + " (only S1_CALL_EXT)"));
      return Post([&] { return Saved(rt_.items->HandOver(id, actor_)); });
    }
    return ProblemJson(NotFound());
  }

 private:
  template <typename F>
  http::Response Get(F f) {
    return method_ == "GET" ? f() : MethodNotAllowed({"GET"});
  }
  template <typename F>
  http::Response Post(F f) {
    return method_ == "POST" ? f() : MethodNotAllowed({"POST"});
  }

  http::Response System() {
    return JsonResponse(200, {{"system_guid", rt_.items->system_guid()},
                              {"service_root", "/sap/opu/odata/SALM/EXT_INTEGRATION_SRV/"},
                              {"link_base_url", rt_.LinkBase(req_)},
                              {"link_validity_s", rt_.options.link_validity.count()},
                              {"sap_client", rt_.options.sap_client}});
  }

  json::object Integration(const WorkObject& o) {
    const auto c = rt_.items->customizing();
    json::object out{{"destination", o.push_destination}, {"handed_over", o.handed_over}};
    std::string external_id, parent_external_id;
    if (auto r = rt_.items->CreateResult(o); r.ok() && *r) {
      if (auto parsed = ParseCreateResult(**r)) {
        external_id = parsed->external_id;
        parent_external_id = parsed->parent_external_id;
      }
    }
    out["external_id"] = external_id;
    out["parent_external_id"] = parent_external_id;
    const workitems::ProjectMapping* m = c->FindMapping(o.project);
    const workitems::RfcDestination* d = m ? c->FindDestination(m->destination) : nullptr;
    const workitems::IntegrationProfile* profile = m ? c->FindProfile(m->profile) : nullptr;
    const workitems::ProcessTypeSettings* s = profile ? profile->Find(o.process_type) : nullptr;
    out["project_jump_in_url"] = d && !m->jump_in_url.empty() ? d->BaseUrl() + m->jump_in_url : "";
    out["jump_in_url"] =
        d && s && !s->jump_in_url.empty() && !external_id.empty() ? d->BaseUrl() + FillExternalId(s->jump_in_url, external_id) : "";
    return out;
  }

  json::object View(const WorkObject& o) {
    return {{"object", ObjectToJson(o, *rt_.items->customizing())}, {"integration", Integration(o)}};
  }

  http::Response Saved(const core::Result<workitems::SaveResult>& r, int status = 200) {
    if (!r.ok()) return ProblemJson(r.error());
    json::object out = View(r->object);
    json::array pushes;
    for (const auto& p : r->pushes)
      pushes.push_back({{"ticket_id", p.ticket_id},
                        {"guid", p.guid},
                        {"kind", p.kind == workitems::PushKind::kCreate ? "create" : "update"},
                        {"message", p.message},
                        {"destination", p.destination}});
    out["pushes"] = std::move(pushes);
    out["not_pushed"] = json::value_from(r->not_pushed);
    return JsonResponse(status, out);
  }

  http::Response List() {
    auto query = QueryParams::Parse(req_.Query(), kControlQueryMessages);
    if (!query.ok()) return ProblemJson(query.error());
    std::string after, type;
    int limit = static_cast<int>(kDefaultPageLimit);
    for (const auto& [k, v] : query->values()) {
      if (k == "after") {
        after = v;
      } else if (k == "process_type") {
        type = v;
      } else if (k == "limit") {
        auto n = query->PageLimit();
        if (!n.ok()) return ProblemJson(n.error());
        limit = static_cast<int>(*n);
      } else {
        return ProblemJson(ControlError(core::Code::kBadRequest, "010", "Unknown query parameter " + k));
      }
    }
    auto objects = rt_.items->List(after, limit, type);
    if (!objects.ok()) return ProblemJson(objects.error());
    json::array out;
    for (const auto& o : *objects)
      out.push_back({{"ticket_id", o.ticket_id},
                     {"guid", o.guid},
                     {"process_type", o.process_type},
                     {"parent_guid", o.parent_guid},
                     {"description", o.description},
                     {"status", o.status},
                     {"project", o.project},
                     {"handed_over", o.handed_over}});
    std::string next = objects->size() == static_cast<size_t>(limit) ? objects->back().ticket_id : "";
    return JsonResponse(200, {{"objects", std::move(out)}, {"next_after", next}});
  }

  http::Response Create() {
    auto body = ParseBody(req_);
    if (!body.ok()) return ProblemJson(body.error());
    auto in = CreateFromJson(*body);
    if (!in.ok()) return ProblemJson(in.error());
    return Saved(rt_.items->Create(in->object, in->package, actor_), 201);
  }

  http::Response Show(const std::string& id) {
    auto o = rt_.items->Get(id);
    if (!o.ok()) return ProblemJson(o.error());
    json::object out = View(*o);
    if (o->is_package()) {
      auto items = rt_.items->ItemsOf(o->guid);
      if (!items.ok()) return ProblemJson(items.error());
      json::array list;
      for (const auto& i : *items)
        list.push_back({{"ticket_id", i.ticket_id}, {"guid", i.guid}, {"process_type", i.process_type},
                        {"status", i.status}, {"handed_over", i.handed_over}});
      out["items"] = std::move(list);
    }
    return JsonResponse(200, out);
  }

  http::Response Change(const std::string& id) {
    auto body = ParseBody(req_);
    if (!body.ok()) return ProblemJson(body.error());
    auto patch = PatchFromJson(*body);
    if (!patch.ok()) return ProblemJson(patch.error());
    return Saved(rt_.items->Change(id, *patch, actor_));
  }

  http::Response AddText(const std::string& id) {
    auto body = ParseBody(req_);
    if (!body.ok()) return ProblemJson(body.error());
    auto text = TextFromJson(*body);
    if (!text.ok()) return ProblemJson(text.error());
    return Saved(rt_.items->AddText(id, std::move(text).value(), actor_));
  }

  http::Response SetStatus(const std::string& id) {
    auto body = ParseBody(req_);
    if (!body.ok()) return ProblemJson(body.error());
    const json::value* status = body->is_object() ? body->as_object().if_contains("status") : nullptr;
    if (!status || !status->is_string() || body->as_object().size() != 1)
      return ProblemJson(workitems::BadField("status", "send {\"status\": \"E00xx\"}"));
    return Saved(rt_.items->SetStatus(id, status->as_string(), actor_));
  }

  http::Response AddDocument(const std::string& id) {
    auto body = ParseBody(req_);
    if (!body.ok()) return ProblemJson(body.error());
    auto doc = DocumentFromJson(*body);
    if (!doc.ok()) return ProblemJson(doc.error());
    return Saved(rt_.items->AddDocument(id, std::move(doc).value(), actor_), 201);
  }

  http::Response Links(const std::string& id) {
    auto o = rt_.items->Get(id);
    if (!o.ok()) return ProblemJson(o.error());
    json::array out;
    const std::string base = rt_.LinkBase(req_);
    for (const auto& d : o->documents) {
      const bool attachment = d.kind == workitems::DocumentKind::kAttachment;
      std::string url = attachment && !d.link_url.empty()
                            ? d.link_url
                            : rt_.links->Make({attachment, d.id, d.technical_name}, base, rt_.options.sap_client,
                                              rt_.clock->Now());
      out.push_back({{"id", d.id}, {"kind", workitems::DocumentKindName(d.kind)}, {"file_name", d.file_name},
                     {"url", std::move(url)}});
    }
    return JsonResponse(200, {{"links", std::move(out)}});
  }

  http::Response History(const std::string& id) {
    auto h = rt_.items->History(id);
    if (!h.ok()) return ProblemJson(h.error());
    json::array out;
    for (const auto& line : *h) out.push_back(HistoryToJson(line));
    return JsonResponse(200, {{"history", std::move(out)}});
  }

  http::Response Pushes(const std::string& id) {
    auto o = rt_.items->Get(id);
    if (!o.ok()) return ProblemJson(o.error());
    json::array out;
    if (rt_.outbox && !o->push_destination.empty()) {
      exchange::MessageFilter filter;
      filter.destination = o->push_destination;
      filter.ordering_key = o->is_package() ? o->guid : o->parent_guid;
      filter.limit = 1000;
      for (;;) {
        auto page = rt_.outbox->List(filter);
        if (!page.ok()) return ProblemJson(page.error());
        for (const auto& m : page->messages)
          if (m.object_key == o->guid) out.push_back(exchange::admin::MessageJson(m));
        if (page->next_after == 0) break;
        filter.after = page->next_after;
      }
    }
    json::object answer{{"pushes", std::move(out)}};
    answer["integration"] = Integration(*o);
    return JsonResponse(200, answer);
  }

  http::Response Customizing(const std::vector<std::string>& p) {
    if (p.size() > 2) return ProblemJson(NotFound());
    // Another node may have changed it within the last second: read the stored one (a PUT does
    // in ChangeCustomizing).
    if (method_ == "GET") {
      if (core::Status st = rt_.Refresh(); !st.ok()) return ProblemJson(st.error());
    }
    json::value all = CustomizingToJson(*rt_.Current().first, /*with_secrets=*/false);
    if (p.size() == 2 && !all.as_object().contains(p[1]))
      return ProblemJson(ControlError(core::Code::kNotFound, "001", "Unknown customizing section " + p[1]));
    if (method_ == "GET") return JsonResponse(200, p.size() == 2 ? all.as_object()[p[1]] : all);
    if (method_ != "PUT") return MethodNotAllowed({"GET", "PUT"});
    auto body = ParseBody(req_);
    if (!body.ok()) return ProblemJson(body.error());
    // A section is merged into whatever is stored when it is applied (again, if that changed).
    core::Status st = rt_.ChangeCustomizing(
        [&](const workitems::Customizing& current) {
          if (p.size() == 1) return CustomizingFromJson(*body);
          json::value next = CustomizingToJson(current, /*with_secrets=*/false);
          next.as_object()[p[1]] = *body;
          return CustomizingFromJson(next);
        },
        req_.user);
    if (!st.ok()) return ProblemJson(st.error());
    json::value now = CustomizingToJson(*rt_.Current().first, false);
    return JsonResponse(200, p.size() == 2 ? now.as_object()[p[1]] : now);
  }

  FbRuntime& rt_;
  http::Request& req_;
  std::string_view method_;  // GET for HEAD (control_methods.h)
  workitems::Actor actor_;
};

}  // namespace

http::Response HandleControl(FbRuntime& runtime, http::Request& req, std::string_view rest) {
  return Routes(runtime, req).Handle(rest);
}

}  // namespace causeway::services::ext_integration
