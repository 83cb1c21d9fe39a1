// EMS reads (Change, ExternalReference, Person, PersonGroup) and ems/bulk CREATE/UPDATE of
// changes.
#include <algorithm>
#include <charconv>
#include <limits>

#include "core/ascii.h"
#include "core/utf8.h"
#include "domain/changes/change_errors.h"
#include "domain/changes/change_properties.h"
#include "services/case_exchange/ems_filter.h"
#include "services/case_exchange/entity_json.h"
#include "services/case_exchange/rest_answer.h"
#include "services/case_exchange/rest_api.h"

namespace causeway::services::case_exchange {
namespace json = boost::json;
using changes::PropertyList;

namespace {

// A record as EMS shows it: properties and related records' fields.
struct Record {
  std::string type;
  PropertyList properties;
  std::vector<std::pair<std::string, PropertyList>> related;
};

std::optional<std::string> Text(const changes::PropertyValue& v) {
  if (changes::IsNull(v)) return std::nullopt;
  return changes::PropertyText(v);
}

std::optional<std::string> Lookup(const Record& r, std::string_view name) {
  size_t dot = name.find('.');
  if (dot == std::string_view::npos) {
    for (const auto& [n, v] : r.properties)
      if (n == name) return Text(v);
    return std::nullopt;
  }
  for (const auto& [relation, fields] : r.related)
    if (relation == name.substr(0, dot))
      for (const auto& [n, v] : fields)
        if (n == name.substr(dot + 1)) return Text(v);
  return std::nullopt;
}

json::object Render(const Record& r, const Layout& layout) {
  json::object props, related;
  for (const auto& [n, v] : r.properties)
    if ((n == "Id" || layout.Has(n)) && !changes::IsNull(v)) props[n] = ToJson(v);
  for (const auto& [relation, fields] : r.related) {
    json::object o;
    for (const auto& [n, v] : fields)
      if (!changes::IsNull(v) && layout.HasRelated(relation, n)) o[n] = ToJson(v);
    if (!o.empty()) related[relation] = std::move(o);
  }
  return {{"entity_type", r.type}, {"properties", std::move(props)}, {"related_properties", std::move(related)}};
}

Record ChangeRecord(const changes::ChangeState& s, const changes::Tenant& t, const changes::WorkflowSet& wfs) {
  Record r{"Change", changes::WireProperties(s.change, wfs), changes::RelatedProperties(s.change, t)};
  r.properties.emplace_back(std::string(changes::kAttachmentsProperty), AttachmentsJsonString(s.change.attachments));
  return r;
}

changes::PropertyValue OrNull(const std::string& s) { return s.empty() ? changes::PropertyValue() : changes::PropertyValue(s); }

Record ReferenceRecord(const changes::ExternalReference& x, const changes::Tenant& t) {
  const changes::ExternalSystem* s = t.FindSystem(x.system_id);
  return {"ExternalReference",
          {{"Id", x.id},
           {"EntityId", x.change_id},
           {"EntityType", std::string("Change")},
           {"ExternalId", OrNull(x.external_id)},
           {"ExternalStatus", OrNull(x.external_status)},
           {"ExternalEntityType", OrNull(x.external_entity_type)},
           {"ExternalSystem", x.system_id}},
          {{"ExternalSystem",
            {{"Id", x.system_id}, {"SystemId", x.system_id}, {"Description", OrNull(s ? s->description : "")}}}}};
}

Record PersonRecord(const changes::Person& p) {
  return {"Person",
          {{"Id", p.id},
           {"Name", p.Name()},
           {"FirstName", OrNull(p.first_name)},
           {"LastName", OrNull(p.last_name)},
           {"Email", OrNull(p.email)},
           {"Upn", OrNull(p.upn)}},
          {}};
}

Record GroupRecord(const changes::Group& g) {
  return {"PersonGroup", {{"Id", g.id}, {"Name", g.name}, {"ExternalSystem", OrNull(g.external_system)}}, {}};
}

int CompareText(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  int64_t x = 0, y = 0;
  auto ra = std::from_chars(a->data(), a->data() + a->size(), x);
  auto rb = std::from_chars(b->data(), b->data() + b->size(), y);
  if (ra.ec == std::errc() && ra.ptr == a->data() + a->size() && rb.ec == std::errc() && rb.ptr == b->data() + b->size())
    return x < y ? -1 : x > y ? 1 : 0;
  return a->compare(*b) < 0 ? -1 : a->compare(*b) > 0 ? 1 : 0;
}

// `order=LastUpdateTime desc,Id`: keys with asc (default) or desc.
struct OrderKey {
  std::string name;
  bool desc = false;
};
core::Result<std::vector<OrderKey>> ParseOrder(std::string_view text) {
  std::vector<OrderKey> keys;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = core::Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    OrderKey k;
    size_t space = item.find(' ');
    k.name = std::string(item.substr(0, space));
    if (space != std::string_view::npos) {
      std::string_view dir = core::Trim(item.substr(space + 1));
      if (core::IEquals(dir, "desc")) k.desc = true;
      else if (!core::IEquals(dir, "asc")) {
        core::Error e = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CX", "111",
                                        "order takes '<property> [asc|desc]', comma separated");
        e.target = "order";
        return e;
      }
    }
    keys.push_back(std::move(k));
  }
  return keys;
}

json::object CollectionMeta(int64_t total, size_t count, int64_t query_time) {
  return {{"completion_status", "OK"}, {"total_count", total}, {"count", count}, {"query_time", query_time}};
}

core::Error UnknownType(std::string_view type) {
  return core::MakeError(core::Code::kNotFound, "CAUSEWAY/CX", "105", "Entity type " + std::string(type) +
                                                                          " is not available; use Change, ExternalReference, Person or PersonGroup");
}

}  // namespace

http::Response RestApi::EmsGet(const Context& ctx, std::string_view type, std::string_view id) {
  const int64_t query_time = desk_.operation_clock().NowMs();
  const Layout layout = Layout::Parse(ctx.query.GetOr("layout", ""));
  auto filter = EmsFilter::Parse(ctx.query.GetOr("filter", ""));
  if (!filter.ok()) return RestError(filter.error());
  auto order = ParseOrder(ctx.query.GetOr("order", ""));
  if (!order.ok()) return RestError(order.error());
  auto skip = ctx.query.Int("skip", 0, 0, std::numeric_limits<int64_t>::max());
  if (!skip.ok()) return RestError(skip.error());
  auto size = ctx.query.Int("size", options_.ems_page_size, 0, options_.ems_max_page_size);
  if (!size.ok()) return RestError(size.error());
  const changes::Tenant& tenant = *ctx.tenant;
  const auto& wfs = ctx.directory->workflows;

  if (type == "Change" && !id.empty()) {
    auto s = desk_.Find(ctx.caller.tenant, id);
    if (!s.ok()) return RestError(s.error());
    return JsonAnswer(200, json::object{{"entities", json::array{Render(ChangeRecord(**s, tenant, wfs), layout)}},
                                        {"meta", CollectionMeta(1, 1, query_time)}});
  }

  std::vector<Record> records;
  int64_t total = 0;
  const bool page_in_memory = type != "Change" || !order->empty();
  if (type == "Change") {
    // Without an order the store pages; with one every match is sorted here.
    auto list = desk_.List(
        ctx.caller.tenant,
        [&](const changes::Change& c) {
          if (!filter->Matches([&](std::string_view name) -> std::optional<std::string> {
                if (name.find('.') == std::string_view::npos) {
                  auto v = changes::PropertyOf(c, name, wfs);
                  return v ? Text(*v) : std::nullopt;
                }
                return Lookup(Record{"Change", {}, changes::RelatedProperties(c, tenant)}, name);
              }))
            return false;
          return true;
        },
        page_in_memory ? 0 : *skip, page_in_memory ? std::numeric_limits<int64_t>::max() : *size, &total);
    if (!list.ok()) return RestError(list.error());
    for (const auto& s : *list) records.push_back(ChangeRecord(*s, tenant, wfs));
  } else if (type == "ExternalReference") {
    auto refs = desk_.References(ctx.caller.tenant, filter->EqualityOn("EntityId").value_or(""),
                                 filter->EqualityOn("ExternalSystem.SystemId").value_or(""),
                                 filter->EqualityOn("ExternalId").value_or(""));
    if (!refs.ok()) return RestError(refs.error());
    for (const auto& r : *refs) records.push_back(ReferenceRecord(r, tenant));
  } else if (type == "Person") {
    for (const auto& [pid, p] : tenant.people) records.push_back(PersonRecord(p));
  } else if (type == "PersonGroup") {
    for (const auto& [gid, g] : tenant.groups) records.push_back(GroupRecord(g));
  } else {
    return RestError(UnknownType(type));
  }

  if (page_in_memory) {
    std::vector<Record> matching;
    for (auto& r : records)
      if ((id.empty() || Lookup(r, "Id") == std::string(id)) &&
          filter->Matches([&](std::string_view name) { return Lookup(r, name); }))
        matching.push_back(std::move(r));
    std::stable_sort(matching.begin(), matching.end(), [&](const Record& a, const Record& b) {
      for (const OrderKey& k : *order) {
        int c = CompareText(Lookup(a, k.name), Lookup(b, k.name));
        if (c != 0) return k.desc ? c > 0 : c < 0;
      }
      return false;
    });
    total = static_cast<int64_t>(matching.size());
    if (!id.empty() && matching.empty())
      return RestError(core::MakeError(core::Code::kNotFound, "CAUSEWAY/CX", "106",
                                       std::string(type) + " " + std::string(id) + " does not exist"));
    records.clear();
    for (int64_t i = *skip; i < total && static_cast<int64_t>(records.size()) < *size; ++i)
      records.push_back(std::move(matching[static_cast<size_t>(i)]));
  }
  json::array entities;
  for (const Record& r : records) entities.push_back(Render(r, layout));
  const size_t count = entities.size();
  return JsonAnswer(200, json::object{{"entities", std::move(entities)}, {"meta", CollectionMeta(total, count, query_time)}});
}

http::Response RestApi::Bulk(const http::Request& req, const Context& ctx) {
  if (!ctx.may_write) return RestError(changes::errors::NotAllowed("ems/bulk needs the role agent"));
  json::error_code ec;
  json::value body = json::parse(core::WithoutUtf8Bom(req.body), ec);
  auto bad = [](std::string text) {
    return RestError(core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CX", "122", std::move(text)));
  };
  if (ec || !body.is_object()) return bad("The body must be a JSON object {\"entities\":[…],\"operation\":…}");
  const json::object& o = body.as_object();
  const json::value* list = o.if_contains("entities");
  const json::value* op = o.if_contains("operation");
  if (!list || !list->is_array()) return bad("entities must be an array");
  if (!op || !op->is_string()) return bad("operation must be CREATE or UPDATE");
  const std::string operation = core::ToUpper(op->as_string());
  if (operation != "CREATE" && operation != "UPDATE") return bad("operation must be CREATE or UPDATE");
  const json::array& entities = list->as_array();
  if (entities.size() > 1000) return bad("At most 1000 entities per request");

  std::vector<core::Status> statuses(entities.size());
  std::vector<size_t> slot_of;
  std::vector<changes::ChangeInput> creates;
  std::vector<std::pair<std::string, changes::ChangeInput>> updates;
  for (size_t i = 0; i < entities.size(); ++i) {
    const json::value& e = entities[i];
    if (!e.is_object()) {
      statuses[i] = core::MakeError(core::Code::kBadRequest, "CAUSEWAY/CX", "122", "Each entity must be a JSON object");
      continue;
    }
    const json::value* t = e.as_object().if_contains("entity_type");
    const std::string type = t && t->is_string() ? std::string(t->as_string()) : std::string();
    if (type != "Change") {
      statuses[i] = changes::errors::EntityTypeNotSupported(type);
      continue;
    }
    auto in = ParseChangeInput(e.as_object(), false);
    if (!in.ok()) {
      statuses[i] = in.error();
      continue;
    }
    if (operation == "UPDATE") {
      std::string id;
      for (const auto& [n, v] : in->properties)
        if (n == "Id") id = changes::PropertyText(v);
      if (id.empty()) {
        statuses[i] = changes::errors::IdRequired("UPDATE");
        continue;
      }
      updates.emplace_back(std::move(id), std::move(*in));
    } else {
      creates.push_back(std::move(*in));
    }
    slot_of.push_back(i);
  }
  std::vector<changes::EntityOutcome> outcomes;
  if (!slot_of.empty()) {
    auto done = operation == "CREATE" ? desk_.Create(ctx.caller, std::move(creates)) : desk_.Update(ctx.caller, std::move(updates));
    if (!done.ok()) return RestError(done.error());
    outcomes = std::move(*done);
  }
  std::vector<const changes::EntityOutcome*> by_slot(entities.size(), nullptr);
  for (size_t k = 0; k < outcomes.size(); ++k) {
    by_slot[slot_of[k]] = &outcomes[k];
    statuses[slot_of[k]] = outcomes[k].status;
  }
  json::array results;
  for (size_t i = 0; i < entities.size(); ++i) {
    const changes::EntityOutcome* out = by_slot[i];
    json::object props;
    if (out && out->status.ok()) {
      props["Id"] = out->id;
      props["LastUpdateTime"] = out->state->change.updated_ms;
    } else if (entities[i].is_object()) {
      if (const json::value* p = entities[i].as_object().if_contains("properties"); p && p->is_object()) props = p->as_object();
    }
    results.push_back(EntityResult("Change", std::move(props), statuses[i]));
  }
  return JsonAnswer(200, json::object{{"entity_result_list", std::move(results)},
                                      {"relationship_result_list", json::array()},
                                      {"translation_result_list", json::array()},
                                      {"meta", ResultMeta(statuses)}});
}

}  // namespace causeway::services::case_exchange
