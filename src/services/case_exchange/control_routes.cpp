#include "services/case_exchange/control_routes.h"

#include <boost/json.hpp>

#include "core/url.h"
#include "core/utf8.h"
#include "domain/changes/change_properties.h"
#include "security/password_hash.h"
#include "services/case_exchange/entity_json.h"
#include "services/case_exchange/outbox_publisher.h"
#include "services/common/control_body.h"
#include "services/common/control_methods.h"
#include "services/common/problem_json.h"

namespace causeway::services::case_exchange {
namespace json = boost::json;
namespace {

http::Response Json(const json::value& v) { return JsonResponse(200, v); }

json::object PersonJson(const changes::Person& p) {
  return {{"id", p.id},       {"login", p.login}, {"first_name", p.first_name}, {"last_name", p.last_name},
          {"email", p.email}, {"upn", p.upn},     {"roles", json::value_from(p.roles)},
          {"has_password", !p.password_hash.empty()}};
}

json::object GroupJson(const changes::Group& g) {
  return {{"id", g.id}, {"name", g.name}, {"external_system", g.external_system}};
}

json::object SystemJson(const changes::ExternalSystem& s) {
  return {{"id", s.id}, {"description", s.description}, {"authorized_user", s.authorized_user}, {"url", s.url},
          {"user", s.push_user}, {"has_password", !s.push_password.empty()}};
}

json::object WorkflowJson(const changes::Workflow& w) {
  json::array phases, transitions;
  for (const auto& p : w.phases) phases.push_back(json::object{{"id", p.id}, {"metaphase", p.metaphase}});
  for (const auto& t : w.transitions)
    transitions.push_back(json::object{
        {"from", t.from}, {"to", t.to}, {"requires", json::value_from(t.required)}, {"automatic", t.automatic}});
  return {{"change_type", w.change_type}, {"phases", std::move(phases)}, {"transitions", std::move(transitions)}};
}

json::object OperationsJson(const changes::OperationLog& log) {
  json::array out, in;
  for (const auto& o : log.outgoing)
    out.push_back(json::object{{"rseq", o.rseq},          {"operation", o.operation}, {"system", o.system_id},
                               {"time", o.time_ms},       {"cause", o.cause},         {"pushed", o.pushed}});
  for (const auto& i : log.incoming)
    in.push_back(json::object{{"id", i.id},
                              {"operation", core::ValidUtf8(i.operation)},
                              {"system", core::ValidUtf8(i.system_id)},
                              {"external_id", core::ValidUtf8(i.external_id)},
                              {"caller", i.caller},
                              {"time", i.time_ms},
                              {"http_status", i.http_status},
                              {"message", core::ValidUtf8(i.message)}});
  return {{"outgoing", std::move(out)}, {"incoming", std::move(in)}};
}

class Routes {
 public:
  Routes(changes::ChangeDesk& desk, const Options& options) : desk_(desk), options_(options) {}

  http::Response Handle(const http::Request& req, std::string_view rest) {
    std::vector<std::string> seg;
    while (!rest.empty()) {
      size_t slash = rest.find('/');
      std::string decoded;
      if (!core::PercentDecode(rest.substr(0, slash), false, &decoded)) return Fail(NotFound());
      if (!decoded.empty()) seg.push_back(std::move(decoded));
      rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    }
    if (seg.empty()) return Fail(NotFound());
    if (seg[0] == "workflows") return Workflows(req, seg);
    if (seg[0] != "tenants") return Fail(NotFound());
    auto dir = desk_.directory();
    if (seg.size() == 1) {
      if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
      json::array list;
      for (const auto& [id, t] : dir->tenants)
        list.push_back(json::object{{"id", id},
                                    {"name", t.name},
                                    {"people", t.people.size()},
                                    {"groups", t.groups.size()},
                                    {"systems", t.systems.size()}});
      return Json(json::object{{"tenants", std::move(list)}});
    }
    const std::string& tid = seg[1];
    if (seg.size() == 2) {
      if (req.method == "PUT") {
        auto body = Body(req);
        if (!body.ok()) return Fail(body.error());
        std::string name;
        core::Status st = control::CheckKeys(*body, {"id", "name"});
        if (st.ok()) st = control::SameAsUrl(*body, "id", tid);
        if (st.ok()) st = control::Field(*body, "name", &name);
        if (st.ok()) st = desk_.PutTenant(tid, name);
        if (!st.ok()) return Fail(st.error());
        dir = desk_.directory();
      } else if (ControlMethod(req) != "GET") {
        return MethodNotAllowed({"GET", "PUT"});
      }
      return TenantAnswer(*dir, tid);
    }
    const changes::Tenant* tenant = dir->FindTenant(tid);
    if (!tenant) return Fail(ControlError(core::Code::kNotFound, "001", "Tenant " + tid + " does not exist"));
    if (seg.size() == 4 && (seg[2] == "people" || seg[2] == "groups" || seg[2] == "systems")) {
      if (req.method != "PUT") return MethodNotAllowed({"PUT"});
      auto body = Body(req);
      if (!body.ok()) return Fail(body.error());
      return PutItem(*tenant, seg[2], seg[3], *body);
    }
    if (seg[2] == "changes" && (seg.size() == 4 || (seg.size() == 5 && seg[4] == "operations"))) {
      if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
      // The record first: the operations of one that does not exist are a 404 as it is.
      auto state = desk_.Find(tid, seg[3]);
      if (!state.ok()) return Fail(state.error());
      auto log = desk_.Operations(tid, seg[3]);
      if (!log.ok()) return Fail(log.error());
      if (seg.size() == 5) return Json(OperationsJson(*log));
      json::array comments, refs;
      for (const auto& c : (*state)->comments) comments.push_back(CommentJson(c));
      for (const auto& r : (*state)->references)
        refs.push_back(json::object{{"id", r.id},
                                    {"system", r.system_id},
                                    {"external_id", r.external_id},
                                    {"external_status", r.external_status},
                                    {"external_entity_type", r.external_entity_type}});
      return Json(json::object{{"change", ChangeEntity(**state, *tenant, dir->workflows, Layout())},
                               {"comments", std::move(comments)},
                               {"references", std::move(refs)},
                               {"operations", OperationsJson(*log)}});
    }
    return Fail(NotFound());
  }

 private:
  static http::Response Fail(const core::Error& e) { return ProblemJson(e); }
  static core::Error NotFound() { return ControlError(core::Code::kNotFound, "001", "Unknown control resource"); }
  // Bodies are read strictly (services/common/control_body.h): what GET shows can be PUT back
  // as it is (output-only fields such as has_password are accepted and ignored); a field the
  // item does not have, or of the wrong type, is refused naming it.
  static core::Result<json::object> Body(const http::Request& req) { return control::ParseObject(req.body); }

  http::Response TenantAnswer(const changes::Directory& dir, const std::string& tid) {
    const changes::Tenant* t = dir.FindTenant(tid);
    if (!t) return Fail(ControlError(core::Code::kNotFound, "001", "Tenant " + tid + " does not exist"));
    json::array people, groups, systems;
    for (const auto& [id, p] : t->people) people.push_back(PersonJson(p));
    for (const auto& [id, g] : t->groups) groups.push_back(GroupJson(g));
    for (const auto& [id, s] : t->systems) systems.push_back(SystemJson(s));
    return Json(json::object{{"id", t->id}, {"name", t->name}, {"people", std::move(people)},
                             {"groups", std::move(groups)}, {"systems", std::move(systems)}});
  }

  http::Response PutItem(const changes::Tenant& tenant, const std::string& kind, const std::string& id,
                         const json::object& body) {
    core::Status st = Apply(tenant, kind, id, body);
    if (!st.ok()) return Fail(st.error());
    auto dir = desk_.directory();
    const changes::Tenant* t = dir->FindTenant(tenant.id);
    if (t && kind == "people" && t->FindPerson(id)) return Json(PersonJson(*t->FindPerson(id)));
    if (t && kind == "groups" && t->FindGroup(id)) return Json(GroupJson(*t->FindGroup(id)));
    if (t && kind == "systems" && t->FindSystem(id)) return Json(SystemJson(*t->FindSystem(id)));
    return Fail(NotFound());
  }

  // A PUT replaces the item: fields not sent are empty, except the secrets (a password not
  // sent stays as it was).
  core::Status Apply(const changes::Tenant& tenant, const std::string& kind, const std::string& id,
                     const json::object& body) {
    using control::Field;
    CW_RETURN_IF_ERROR(control::SameAsUrl(body, "id", id));
    if (kind == "people") {
      CW_RETURN_IF_ERROR(control::CheckKeys(body, {"id", "login", "first_name", "last_name", "email", "upn", "roles",
                                                   "password", "password_hash", "has_password"}));
      changes::Person p;
      p.id = id;
      if (const changes::Person* old = tenant.FindPerson(id)) p.password_hash = old->password_hash;
      bool has_password = false;  // what GET shows; ignored
      std::string hash, password;
      CW_RETURN_IF_ERROR(Field(body, "login", &p.login));
      CW_RETURN_IF_ERROR(Field(body, "first_name", &p.first_name));
      CW_RETURN_IF_ERROR(Field(body, "last_name", &p.last_name));
      CW_RETURN_IF_ERROR(Field(body, "email", &p.email));
      CW_RETURN_IF_ERROR(Field(body, "upn", &p.upn));
      CW_RETURN_IF_ERROR(Field(body, "roles", &p.roles));
      CW_RETURN_IF_ERROR(Field(body, "has_password", &has_password));
      CW_RETURN_IF_ERROR(Field(body, "password_hash", &hash));
      CW_RETURN_IF_ERROR(Field(body, "password", &password));
      if (!hash.empty()) p.password_hash = hash;
      if (!password.empty()) p.password_hash = security::HashPassword(password, options_.hash_iterations);
      return desk_.PutPerson(tenant.id, p);
    }
    if (kind == "groups") {
      CW_RETURN_IF_ERROR(control::CheckKeys(body, {"id", "name", "external_system"}));
      changes::Group g{id, "", ""};
      CW_RETURN_IF_ERROR(Field(body, "name", &g.name));
      CW_RETURN_IF_ERROR(Field(body, "external_system", &g.external_system));
      return desk_.PutGroup(tenant.id, g);
    }
    CW_RETURN_IF_ERROR(control::CheckKeys(
        body, {"id", "description", "authorized_user", "url", "user", "password", "has_password"}));
    changes::ExternalSystem s;
    s.id = id;
    if (const changes::ExternalSystem* old = tenant.FindSystem(id)) s.push_password = old->push_password;
    bool has_password = false;  // what GET shows; ignored
    CW_RETURN_IF_ERROR(Field(body, "description", &s.description));
    CW_RETURN_IF_ERROR(Field(body, "authorized_user", &s.authorized_user));
    CW_RETURN_IF_ERROR(Field(body, "url", &s.url));
    CW_RETURN_IF_ERROR(Field(body, "user", &s.push_user));
    CW_RETURN_IF_ERROR(Field(body, "has_password", &has_password));
    CW_RETURN_IF_ERROR(Field(body, "password", &s.push_password));
    // The kept password goes with the user it belonged to.
    if (s.push_user.empty() && !body.contains("password")) s.push_password.clear();
    CW_RETURN_IF_ERROR(CheckPushTarget(tenant.id, s));
    return desk_.PutSystem(tenant.id, s);
  }

  http::Response Workflows(const http::Request& req, const std::vector<std::string>& seg) {
    if (seg.size() == 1) {
      if (ControlMethod(req) != "GET") return MethodNotAllowed({"GET"});
      json::array list;
      for (const auto& [type, w] : desk_.directory()->workflows) list.push_back(WorkflowJson(w));
      return Json(json::object{{"workflows", std::move(list)}});
    }
    if (seg.size() != 2) return Fail(NotFound());
    if (req.method != "PUT") return MethodNotAllowed({"PUT"});
    auto body = Body(req);
    if (!body.ok()) return Fail(body.error());
    changes::Workflow w;
    w.change_type = seg[1];
    if (auto st = WorkflowFromJson(*body, w); !st.ok()) return Fail(st.error());
    if (auto st = desk_.PutWorkflow(w); !st.ok()) return Fail(st.error());
    return Json(WorkflowJson(w));
  }

  static core::Status WorkflowFromJson(const json::object& body, changes::Workflow& w) {
    CW_RETURN_IF_ERROR(control::CheckKeys(body, {"change_type", "phases", "transitions"}));
    CW_RETURN_IF_ERROR(control::SameAsUrl(body, "change_type", w.change_type));
    auto list = [&](const char* key) -> core::Result<const json::array*> {
      const json::value* v = body.if_contains(key);
      if (!v || v->is_null()) return nullptr;
      if (!v->is_array()) return control::BodyError(std::string(key) + " must be an array of objects");
      for (const auto& x : v->as_array())
        if (!x.is_object()) return control::BodyError(std::string(key) + " must be an array of objects");
      return &v->as_array();
    };
    CW_ASSIGN_OR_RETURN(const json::array* phases, list("phases"));
    for (size_t i = 0; phases && i < phases->size(); ++i) {
      const json::object& x = (*phases)[i].as_object();
      const std::string where = "phases[" + std::to_string(i) + "].";
      CW_RETURN_IF_ERROR(control::CheckKeys(x, {"id", "metaphase"}, where));
      changes::Phase phase;
      CW_RETURN_IF_ERROR(control::Field(x, "id", &phase.id, where));
      CW_RETURN_IF_ERROR(control::Field(x, "metaphase", &phase.metaphase, where));
      w.phases.push_back(std::move(phase));
    }
    CW_ASSIGN_OR_RETURN(const json::array* transitions, list("transitions"));
    for (size_t i = 0; transitions && i < transitions->size(); ++i) {
      const json::object& x = (*transitions)[i].as_object();
      const std::string where = "transitions[" + std::to_string(i) + "].";
      CW_RETURN_IF_ERROR(control::CheckKeys(x, {"from", "to", "requires", "automatic"}, where));
      changes::Transition t;
      CW_RETURN_IF_ERROR(control::Field(x, "from", &t.from, where));
      CW_RETURN_IF_ERROR(control::Field(x, "to", &t.to, where));
      CW_RETURN_IF_ERROR(control::Field(x, "requires", &t.required, where));
      CW_RETURN_IF_ERROR(control::Field(x, "automatic", &t.automatic, where));
      w.transitions.push_back(std::move(t));
    }
    return core::Status::Ok();
  }

  changes::ChangeDesk& desk_;
  const Options& options_;
};

}  // namespace

http::Endpoint ControlEndpoint(changes::ChangeDesk& desk, const Options& options) {
  auto routes = std::make_shared<Routes>(desk, options);
  return {.key = "/_causeway/cx/",
          .guard = {.service = "CAUSEWAY_CONTROL", .authenticate = true, .csrf = false},
          .handle = [routes](http::Request& req, const http::RouteMatch& m) { return routes->Handle(req, m.rest); },
          .render = ProblemJsonErrors(),
          .may_block = [](const http::Request&) { return true; }};
}

}  // namespace causeway::services::case_exchange
