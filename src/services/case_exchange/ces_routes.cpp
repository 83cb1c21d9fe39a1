// GET and POST /rest/<tenant>/ces: the poll of outgoing operations and incoming operations.
#include <limits>

#include "core/ascii.h"
#include "core/blocking.h"
#include "core/utf8.h"
#include "domain/changes/change_errors.h"
#include "services/case_exchange/entity_json.h"
#include "services/case_exchange/entity_writer.h"
#include "services/case_exchange/rest_answer.h"
#include "services/case_exchange/rest_api.h"

namespace causeway::services::case_exchange {
namespace json = boost::json;

namespace {

constexpr size_t kMaxEntities = 1000;

core::Error BadBody(std::string text) {
  return core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CX", "122", std::move(text));
}

// Id and LastUpdateTime of a record an edit left: what a client reads back.
json::object ResultProperties(const changes::EntityOutcome& o) {
  json::object p;
  p["Id"] = o.id;
  if (o.state) p["LastUpdateTime"] = o.state->change.updated_ms;
  return p;
}

json::object SentProperties(const json::value& entity) {
  if (entity.is_object())
    if (const json::value* p = entity.as_object().if_contains("properties"); p && p->is_object()) return p->as_object();
  return {};
}

std::string SentType(const json::value& entity, std::string_view fallback) {
  if (entity.is_object())
    if (const json::value* t = entity.as_object().if_contains("entity_type"); t && t->is_string())
      return std::string(t->as_string());
  return std::string(fallback);
}

}  // namespace

http::Response RestApi::CesGet(const Context& ctx) {
  const auto system_id = ctx.query.Get("system");
  if (!system_id || system_id->empty()) {
    core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CX", "102", "Query parameter system is required");
    e.target = "system";
    return RestError(e);
  }
  const changes::ExternalSystem* system = ctx.tenant->FindSystem(*system_id);
  if (!system) return RestError(changes::errors::UnknownSystem(*system_id));
  if (!core::IEquals(system->authorized_user, ctx.caller.login))
    return RestError(changes::errors::NotAuthorizedUser(ctx.caller.login, system->id));
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  auto since = ctx.query.Int("time", 0, 0, kMax);
  if (!since.ok()) return RestError(since.error());
  auto skip = ctx.query.Int("skip", 0, 0, kMax);
  if (!skip.ok()) return RestError(skip.error());
  auto size = ctx.query.Int("size", options_.page_size, 0, options_.page_size);
  if (!size.ok()) return RestError(size.error());
  const Layout layout = Layout::Parse(ctx.query.GetOr("layout", ""));

  changes::PollPage page;
  // Only changes take part in this exchange: another record type has nothing to report.
  if (ctx.query.GetOr("type", "Change") == "Change") {
    auto polled = desk_.Poll(ctx.caller.tenant, system->id, *since, *skip, *size);
    if (!polled.ok()) return RestError(polled.error());
    page = std::move(*polled);
  } else {
    page.read_moment_ms = desk_.operation_clock().SafeMoment();
  }
  // Written as text: a full page is thousands of entities (entity_writer.h).
  std::string body;
  body.reserve(64 + page.operations.size() * 512);
  body += R"({"entities":[)";
  EntityWriter writer(*ctx.tenant, ctx.directory->workflows, layout);
  for (size_t i = 0; i < page.operations.size(); ++i) {
    if (i > 0) body += ',';
    writer.AppendCaseExchangeEntity(body, page.operations[i]);
  }
  body += R"(],"meta":{"completion_status":"OK","total_count":)";
  body += std::to_string(page.total);
  body += "}}";
  http::Response r = JsonTextAnswer(200, std::move(body));
  r.headers.Add("date", HttpDate(page.read_moment_ms));
  return r;
}

http::Response RestApi::CesPost(const http::Request& req, const Context& ctx) {
  json::error_code ec;
  json::value body = json::parse(core::WithoutUtf8Bom(req.body), ec);
  const json::value* list = !ec && body.is_object() ? body.as_object().if_contains("entities") : nullptr;
  if (!list || !list->is_array()) return RestError(BadBody("The body must be a JSON object {\"entities\":[…]}"));
  const json::array& entities = list->as_array();
  if (entities.empty()) return RestError(BadBody("entities is empty"));
  if (entities.size() > kMaxEntities)
    return RestError(BadBody("At most " + std::to_string(kMaxEntities) + " entities per request"));

  std::vector<core::Status> statuses(entities.size());
  std::vector<changes::IncomingOperation> ops;
  std::vector<size_t> slot_of;  // ops[k] answers entities[slot_of[k]]
  for (size_t i = 0; i < entities.size(); ++i) {
    if (!entities[i].is_object()) {
      statuses[i] = BadBody("Each entity must be a JSON object");
      continue;
    }
    auto op = ParseIncoming(entities[i].as_object());
    if (!op.ok()) {
      statuses[i] = op.error();
      continue;
    }
    slot_of.push_back(i);
    ops.push_back(std::move(*op));
  }
  std::vector<changes::EntityOutcome> outcomes;
  if (!ops.empty()) {
    auto applied = desk_.ApplyIncoming(ctx.caller, std::move(ops));
    if (!applied.ok()) {
      // Would have waited on the I/O thread: this try's unit rolls back, a worker runs it again.
      if (core::IsWouldBlock(applied.error())) return http::Response::ToWorkers();
      return RestError(applied.error());
    }
    outcomes = std::move(*applied);
  }
  std::vector<const changes::EntityOutcome*> by_slot(entities.size(), nullptr);
  for (size_t k = 0; k < outcomes.size(); ++k) {
    by_slot[slot_of[k]] = &outcomes[k];
    statuses[slot_of[k]] = outcomes[k].status;
  }
  json::array results;
  bool any_ok = false;
  for (size_t i = 0; i < entities.size(); ++i) {
    const changes::EntityOutcome* o = by_slot[i];
    if (o && o->status.ok()) {
      any_ok = true;
      results.push_back(EntityResult("Change", ResultProperties(*o), o->status));
    } else {
      results.push_back(EntityResult(SentType(entities[i], "Change"), SentProperties(entities[i]), statuses[i]));
    }
  }
  // All or nothing per entity; a request whose every entity failed answers with the first
  // failure's status too (clients that only look at the status see it).
  const int status = any_ok ? 200 : statuses[0].error().HttpStatus();
  return JsonAnswer(status, json::object{{"entities", std::move(results)}, {"meta", ResultMeta(statuses)}});
}

}  // namespace causeway::services::case_exchange
