#include <boost/json.hpp>

#include <charconv>

#include "core/json_text.h"
#include "domain/activities/task_repository.h"

namespace causeway::activities {
namespace json = boost::json;
namespace {

std::string Str(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

PartyRef PartyFrom(const json::value& v) {
  const json::object& o = v.as_object();
  PartyRef p{Str(o, "business_partner_id"), Str(o, "employee_id"), Str(o, "email"), Str(o, "name"), false};
  if (auto* m = o.if_contains("main"); m && m->is_bool()) p.main = m->as_bool();
  return p;
}

std::optional<PartyRef> OptParty(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_object()) return std::nullopt;
  return PartyFrom(*v);
}

const json::array& Arr(const json::object& o, const char* key) {
  static const json::array kEmpty;
  auto* v = o.if_contains(key);
  return v && v->is_array() ? v->as_array() : kEmpty;
}

// The document is written directly rather than built as a Boost.JSON object and serialized:
// that built a hash map per object and allocated every key and value again (about a tenth of
// the writer thread's time per created task). Output is byte for byte what
// boost::json::serialize wrote for the same object (keys in this order, no blanks, the same
// escapes: core/json_text.h), so stored documents and the control plane's answers do not change.
class DocumentWriter {
 public:
  explicit DocumentWriter(size_t reserve) { out_.reserve(reserve); }

  DocumentWriter& Open() {
    out_ += '{';
    first_ = true;
    return *this;
  }
  DocumentWriter& Close() {
    out_ += '}';
    first_ = false;
    return *this;
  }
  DocumentWriter& OpenArray(std::string_view key) {
    Key(key);
    out_ += '[';
    first_ = true;
    return *this;
  }
  DocumentWriter& CloseArray() {
    out_ += ']';
    first_ = false;
    return *this;
  }
  // An object as an element of the array being written.
  DocumentWriter& OpenElement() {
    if (!first_) out_ += ',';
    return Open();
  }
  DocumentWriter& OpenObject(std::string_view key) {
    Key(key);
    return Open();
  }
  DocumentWriter& String(std::string_view key, std::string_view value) {
    Key(key);
    Quoted(value);
    return *this;
  }
  DocumentWriter& Int(std::string_view key, int64_t value) {
    Key(key);
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out_.append(buf, static_cast<size_t>(end - buf));
    return *this;
  }
  DocumentWriter& Bool(std::string_view key, bool value) {
    Key(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  std::string Take() { return std::move(out_); }

 private:
  void Key(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    Quoted(key);
    out_ += ':';
  }
  void Quoted(std::string_view s) { core::AppendJsonString(out_, s); }

  std::string out_;
  bool first_ = true;
};

void WriteParty(DocumentWriter& w, const PartyRef& p) {
  w.String("business_partner_id", p.business_partner_id);
  if (!p.employee_id.empty()) w.String("employee_id", p.employee_id);
  if (!p.email.empty()) w.String("email", p.email);
  if (!p.name.empty()) w.String("name", p.name);
  if (p.main) w.Bool("main", true);
  w.Close();
}

}  // namespace

std::string EncodeTask(const Task& t) {
  size_t reserve = 640 + t.name.size();
  for (const auto& x : t.texts) reserve += 96 + x.content.size();
  for (const auto& a : t.attachments) reserve += 256 + a.content_base64.size() + a.link_uri.size();
  reserve += 96 * (t.reference_parties.size() + t.references.size());
  DocumentWriter w(reserve);
  w.Open()
      .String("id", std::to_string(t.id))
      .String("uuid", t.uuid)
      .String("change_state_id", t.change_state_id)
      .String("name", t.name)
      .String("priority_code", t.priority_code)
      .String("sensitivity_code", t.sensitivity_code)
      .String("life_cycle_status", t.life_cycle_status)
      .String("data_origin_code", t.data_origin_code);
  if (!t.document_type_code.empty()) w.String("document_type_code", t.document_type_code);
  if (!t.group_code.empty()) w.String("group_code", t.group_code);
  if (!t.completion_percent.empty()) w.String("completion_percent", t.completion_percent);
  if (t.period)
    w.OpenObject("scheduled_period")
        .String("start", t.period->start)
        .String("start_time_zone", t.period->start_time_zone)
        .String("end", t.period->end)
        .String("end_time_zone", t.period->end_time_zone)
        .Close();
  if (t.processor) WriteParty(w.OpenObject("processor"), *t.processor);
  if (t.responsible) WriteParty(w.OpenObject("employee_responsible"), *t.responsible);
  if (t.main_activity) WriteParty(w.OpenObject("main_activity_party"), *t.main_activity);
  if (!t.activity_unit.empty())
    w.OpenObject("activity_unit_party").String("organisational_centre_id", t.activity_unit).Close();
  w.OpenArray("reference_parties");
  for (const auto& p : t.reference_parties) WriteParty(w.OpenElement(), p);
  w.CloseArray().OpenArray("document_references");
  for (const auto& r : t.references)
    w.OpenElement().String("id", r.id).String("uuid", r.uuid).String("type_code", r.type_code).String("role_code", r.role_code).Close();
  w.CloseArray().OpenArray("texts");
  for (const auto& x : t.texts)
    w.OpenElement()
        .String("type_code", x.type_code)
        .String("content", x.content)
        .String("language", x.language)
        .String("created_at", x.created_at)
        .Close();
  w.CloseArray().OpenArray("attachments");
  for (const auto& a : t.attachments)
    w.OpenElement()
        .String("uuid", a.uuid)
        .String("category_code", a.category_code)
        .String("type_code", a.type_code)
        .String("name", a.name)
        .String("alternative_name", a.alternative_name)
        .String("description", a.description)
        .String("link_uri", a.link_uri)
        .String("mime_code", a.mime_code)
        .String("file_name", a.file_name)
        .Bool("visible", a.visible)
        .String("content_base64", a.content_base64)
        .Close();
  w.CloseArray()
      .Int("created_at_ms", core::ToUnixMillis(t.created_at))
      .String("created_by", t.created_by)
      .Int("changed_at_ms", core::ToUnixMillis(t.changed_at))
      .String("changed_by", t.changed_by)
      .Close();
  return w.Take();
}

core::Result<Task> DecodeTask(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object())
    return core::MakeError(core::Code::kInternal, "CAUSEWAY/ACTIVITY", "900", "stored task document is corrupt");
  const json::object& o = v.as_object();
  Task t;
  try {
    t.id = std::stoll(Str(o, "id"));
  } catch (...) {
    return core::MakeError(core::Code::kInternal, "CAUSEWAY/ACTIVITY", "900", "stored task document has no id");
  }
  t.uuid = Str(o, "uuid");
  t.change_state_id = Str(o, "change_state_id");
  t.name = Str(o, "name");
  t.priority_code = Str(o, "priority_code");
  t.sensitivity_code = Str(o, "sensitivity_code");
  t.life_cycle_status = Str(o, "life_cycle_status");
  t.data_origin_code = Str(o, "data_origin_code");
  t.document_type_code = Str(o, "document_type_code");
  t.group_code = Str(o, "group_code");
  t.completion_percent = Str(o, "completion_percent");
  if (auto* p = o.if_contains("scheduled_period"); p && p->is_object()) {
    const auto& po = p->as_object();
    t.period = ScheduledPeriod{Str(po, "start"), Str(po, "start_time_zone"), Str(po, "end"), Str(po, "end_time_zone")};
  }
  t.processor = OptParty(o, "processor");
  t.responsible = OptParty(o, "employee_responsible");
  t.main_activity = OptParty(o, "main_activity_party");
  if (auto* u = o.if_contains("activity_unit_party"); u && u->is_object())
    t.activity_unit = Str(u->as_object(), "organisational_centre_id");
  for (const auto& p : Arr(o, "reference_parties")) t.reference_parties.push_back(PartyFrom(p));
  for (const auto& r : Arr(o, "document_references")) {
    const auto& ro = r.as_object();
    t.references.push_back({Str(ro, "id"), Str(ro, "uuid"), Str(ro, "type_code"), Str(ro, "role_code")});
  }
  for (const auto& x : Arr(o, "texts")) {
    const auto& xo = x.as_object();
    t.texts.push_back({Str(xo, "type_code"), Str(xo, "content"), Str(xo, "language"), Str(xo, "created_at")});
  }
  for (const auto& a : Arr(o, "attachments")) {
    const auto& ao = a.as_object();
    Attachment at{Str(ao, "uuid"), Str(ao, "category_code"), Str(ao, "type_code"), Str(ao, "name"),
                  Str(ao, "alternative_name"), Str(ao, "description"), Str(ao, "link_uri"), Str(ao, "mime_code"),
                  Str(ao, "file_name"), true, Str(ao, "content_base64")};
    if (auto* vis = ao.if_contains("visible"); vis && vis->is_bool()) at.visible = vis->as_bool();
    t.attachments.push_back(std::move(at));
  }
  if (auto* c = o.if_contains("created_at_ms"); c && c->is_int64()) t.created_at = core::FromUnixMillis(c->as_int64());
  if (auto* c = o.if_contains("changed_at_ms"); c && c->is_int64()) t.changed_at = core::FromUnixMillis(c->as_int64());
  t.created_by = Str(o, "created_by");
  t.changed_by = Str(o, "changed_by");
  return t;
}

}  // namespace causeway::activities
