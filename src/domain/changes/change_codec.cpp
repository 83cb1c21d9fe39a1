#include "domain/changes/change_codec.h"

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>

#include <utility>

namespace causeway::changes {
namespace json = boost::json;
namespace {

core::Error Damaged(std::string_view what) {
  return core::MakeError(core::Code::kInternal, "CAUSEWAY/CX", "090", "Stored " + std::string(what) + " is damaged");
}

json::value FromProperty(const PropertyValue& v) {
  struct Visitor {
    json::value operator()(std::monostate) const { return nullptr; }
    json::value operator()(bool b) const { return b; }
    json::value operator()(int64_t i) const { return i; }
    json::value operator()(double d) const { return d; }
    json::value operator()(const std::string& s) const { return json::string(s); }
  };
  return std::visit(Visitor{}, v);
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool Bool(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

std::vector<std::string> Strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const json::value* v = o.if_contains(key); v && v->is_array())
    for (const auto& x : v->as_array())
      if (x.is_string()) out.emplace_back(x.as_string());
  return out;
}

json::array StringArray(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(json::string(s));
  return a;
}

core::Result<json::object> ParseObject(std::string_view doc, std::string_view what) {
  json::error_code ec;
  json::value v = json::parse(doc, ec);
  if (ec || !v.is_object()) return Damaged(what);
  return std::move(v.as_object());
}

// Reads a change document straight from the parser's events, without a tree: a poll decodes a
// record per entry, thousands per page, and building the tree and looking each member up in
// it took most of that. Reads what EncodeChange writes the way a tree would have been read:
// unknown members skipped, a member of another type than expected read as "", 0 or false (a
// text field included: decoding starts from empty texts, not Change's defaults), custom values
// other than scalars as null; an attachment that is not an object, or a document that is not
// an object, is damaged.
class ChangeReader {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  ChangeReader() {
    change.change_type.clear();
    change.urgency.clear();
    change.impact_scope.clear();
  }

  Change change;
  bool damaged = false;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    if (Skipping()) {
      ++skip_;
      return true;
    }
    if (depth_ == 0) {
      depth_ = 1;  // the document
    } else if (depth_ == 1 && key_ == "custom") {
      depth_ = 2;
      where_ = Where::kCustom;
    } else if (depth_ == 2 && where_ == Where::kAttachments) {
      depth_ = 3;
      change.attachments.emplace_back();
    } else {
      Other();
      skip_ = 1;
    }
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) { return Close(); }
  bool on_array_begin(json::error_code&) {
    if (Skipping()) {
      ++skip_;
      return true;
    }
    if (depth_ == 1 && key_ == "attachments") {
      depth_ = 2;
      where_ = Where::kAttachments;
      change.attachments.clear();
    } else {
      Other();
      skip_ = 1;
    }
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) { return Close(); }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    part_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    if (!Skipping()) key_ = Whole(s);
    part_.clear();
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    part_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    if (!Skipping()) {
      const std::string_view text = Whole(s);
      if (std::string* field = TextField()) *field = text;
      else Scalar(std::string(text));
    }
    part_.clear();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t i, json::string_view, json::error_code&) {
    if (!Skipping()) Scalar(i);
    return true;
  }
  bool on_uint64(uint64_t u, json::string_view, json::error_code&) {
    if (!Skipping()) Scalar(static_cast<int64_t>(u));
    return true;
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    if (!Skipping()) Scalar(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    if (!Skipping()) Scalar(b);
    return true;
  }
  bool on_null(json::error_code&) {
    if (!Skipping()) Scalar(PropertyValue());
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  enum class Where { kTop, kAttachments, kCustom };

  bool Skipping() const { return skip_ > 0; }
  // The end of an object or array: of one skipped, or of a level of the document.
  bool Close() {
    if (skip_ > 0) {
      --skip_;
      return true;
    }
    if (depth_ == 3) {
      depth_ = 2;
    } else if (depth_ == 2) {
      depth_ = 1;
      where_ = Where::kTop;
    } else {
      depth_ = 0;
    }
    return true;
  }
  std::string_view Whole(json::string_view last) {
    if (part_.empty()) return {last.data(), last.size()};
    part_.append(last.data(), last.size());
    return part_;
  }
  // The entry of `table` named `key`, looked for from where the last one was found: records
  // are written in the tables' order (EncodeChange), so that is nearly always the first look.
  template <typename Entry, size_t N>
  static const Entry* Find(const Entry (&table)[N], size_t& next, std::string_view key) {
    for (size_t k = 0; k < N; ++k) {
      const size_t i = (next + k) % N;
      if (table[i].first == key) {
        next = i + 1;
        return &table[i];
      }
    }
    return nullptr;
  }
  // The text member the current key names (of the record or of its current attachment).
  std::string* TextField() {
    if (depth_ == 1) {
      if (const auto* e = Find(kTexts, next_text_, key_)) return &(change.*(e->second));
    } else if (depth_ == 3) {
      for (const auto& [name, member] : kAttachmentTexts)
        if (key_ == name) return &(change.attachments.back().*member);
    }
    return nullptr;
  }
  int64_t* IntField() {
    if (depth_ == 1) {
      if (const auto* e = Find(kInts, next_int_, key_)) return &(change.*(e->second));
    } else if (depth_ == 3) {
      if (key_ == "size") return &change.attachments.back().size;
      if (key_ == "last_update_ms") return &change.attachments.back().last_update_ms;
    }
    return nullptr;
  }
  // A value that is not a text (or a text for a member that is not one).
  void Scalar(PropertyValue v) {
    if (depth_ == 0) {
      damaged = true;  // a document that is not an object
      return;
    }
    if (depth_ == 2 && where_ == Where::kAttachments) {
      damaged = true;  // an attachment that is not an object
      return;
    }
    if (depth_ == 2 && where_ == Where::kCustom) {
      change.custom[key_] = std::move(v);
      return;
    }
    // A number looks among the numbers first (the names of the two tables differ).
    const bool number = std::holds_alternative<int64_t>(v);
    if (int64_t* count = number ? IntField() : nullptr) {
      *count = std::get<int64_t>(v);
    } else if (std::string* text = TextField()) {
      text->clear();
    } else if (int64_t* n = IntField()) {
      *n = number ? std::get<int64_t>(v) : 0;
    } else if (depth_ == 1 && key_ == "cancel_generated") {
      change.cancel_generated = std::holds_alternative<bool>(v) && std::get<bool>(v);
    }
  }
  // An object or array where the document has none: read as what a scalar of the wrong type
  // would be, then skipped.
  void Other() {
    if (depth_ == 0 || (depth_ == 2 && where_ == Where::kAttachments)) {
      damaged = true;
      return;
    }
    if (depth_ == 2 && where_ == Where::kCustom) {
      change.custom[key_] = PropertyValue();
      return;
    }
    Scalar(PropertyValue());
  }

  static constexpr std::pair<std::string_view, std::string Change::*> kTexts[] = {
      {"id", &Change::id},
      {"display_label", &Change::display_label},
      {"description", &Change::description},
      {"change_type", &Change::change_type},
      {"change_model", &Change::change_model},
      {"phase_id", &Change::phase_id},
      {"urgency", &Change::urgency},
      {"impact_scope", &Change::impact_scope},
      {"reason_for_change", &Change::reason_for_change},
      {"justification", &Change::justification},
      {"category", &Change::category},
      {"service", &Change::service},
      {"requested_by", &Change::requested_by},
      {"owning_group", &Change::owning_group},
      {"completion_code", &Change::completion_code},
  };
  static constexpr std::pair<std::string_view, std::string Attachment::*> kAttachmentTexts[] = {
      {"id", &Attachment::id},         {"file_name", &Attachment::file_name},
      {"file_extension", &Attachment::file_extension}, {"mime_type", &Attachment::mime_type},
      {"creator", &Attachment::creator},
  };
  static constexpr std::pair<std::string_view, int64_t Change::*> kInts[] = {
      {"created_ms", &Change::created_ms},         {"updated_ms", &Change::updated_ms},
      {"version", &Change::version},               {"operation_count", &Change::operation_count},
      {"last_operation_ms", &Change::last_operation_ms}, {"comment_count", &Change::comment_count},
  };

  int depth_ = 0;  // 1: the document, 2: attachments or custom, 3: an attachment
  Where where_ = Where::kTop;
  int skip_ = 0;   // > 0: inside a value being skipped, that many levels deep
  std::string key_;
  std::string part_;  // a text or key the parser delivered in parts
  size_t next_text_ = 0, next_int_ = 0;  // where Find looks first
};

}  // namespace

std::string EncodeChange(const Change& c) {
  json::object o;
  o["id"] = c.id;
  o["display_label"] = c.display_label;
  o["description"] = c.description;
  o["change_type"] = c.change_type;
  o["change_model"] = c.change_model;
  o["phase_id"] = c.phase_id;
  o["urgency"] = c.urgency;
  o["impact_scope"] = c.impact_scope;
  o["reason_for_change"] = c.reason_for_change;
  o["justification"] = c.justification;
  o["category"] = c.category;
  o["service"] = c.service;
  o["requested_by"] = c.requested_by;
  o["owning_group"] = c.owning_group;
  o["completion_code"] = c.completion_code;
  json::array atts;
  for (const Attachment& a : c.attachments)
    atts.push_back(json::object{{"id", a.id},
                                {"file_name", a.file_name},
                                {"file_extension", a.file_extension},
                                {"mime_type", a.mime_type},
                                {"creator", a.creator},
                                {"size", a.size},
                                {"last_update_ms", a.last_update_ms}});
  o["attachments"] = std::move(atts);
  json::object custom;
  for (const auto& [k, v] : c.custom) custom[k] = FromProperty(v);
  o["custom"] = std::move(custom);
  o["created_ms"] = c.created_ms;
  o["updated_ms"] = c.updated_ms;
  o["version"] = c.version;
  o["operation_count"] = c.operation_count;
  o["last_operation_ms"] = c.last_operation_ms;
  o["comment_count"] = c.comment_count;
  o["cancel_generated"] = c.cancel_generated;
  return json::serialize(o);
}

core::Result<Change> DecodeChange(std::string_view doc) {
  json::basic_parser<ChangeReader> parser(json::parse_options{});
  json::error_code ec;
  parser.write_some(false, doc.data(), doc.size(), ec);
  ChangeReader& reader = parser.handler();
  if (ec || !parser.done() || reader.damaged || reader.change.id.empty()) return Damaged("change");
  return std::move(reader.change);
}

std::string EncodePerson(const Person& p) {
  return json::serialize(json::object{{"id", p.id},
                                      {"login", p.login},
                                      {"first_name", p.first_name},
                                      {"last_name", p.last_name},
                                      {"email", p.email},
                                      {"upn", p.upn},
                                      {"password_hash", p.password_hash},
                                      {"roles", StringArray(p.roles)}});
}

core::Result<Person> DecodePerson(std::string_view doc) {
  CW_ASSIGN_OR_RETURN(json::object o, ParseObject(doc, "person"));
  return Person{Str(o, "id"),  Str(o, "login"), Str(o, "first_name"), Str(o, "last_name"), Str(o, "email"),
                Str(o, "upn"), Str(o, "password_hash"), Strings(o, "roles")};
}

std::string EncodeGroup(const Group& g) {
  return json::serialize(json::object{{"id", g.id}, {"name", g.name}, {"external_system", g.external_system}});
}

core::Result<Group> DecodeGroup(std::string_view doc) {
  CW_ASSIGN_OR_RETURN(json::object o, ParseObject(doc, "group"));
  return Group{Str(o, "id"), Str(o, "name"), Str(o, "external_system")};
}

std::string EncodeSystem(const ExternalSystem& s) {
  return json::serialize(json::object{{"id", s.id},
                                      {"description", s.description},
                                      {"authorized_user", s.authorized_user},
                                      {"url", s.url},
                                      {"push_user", s.push_user},
                                      {"push_password", s.push_password}});
}

core::Result<ExternalSystem> DecodeSystem(std::string_view doc) {
  CW_ASSIGN_OR_RETURN(json::object o, ParseObject(doc, "external system"));
  return ExternalSystem{Str(o, "id"),  Str(o, "description"), Str(o, "authorized_user"),
                        Str(o, "url"), Str(o, "push_user"),   Str(o, "push_password")};
}

std::string EncodeWorkflow(const Workflow& w) {
  json::array phases, transitions;
  for (const Phase& p : w.phases) phases.push_back(json::object{{"id", p.id}, {"metaphase", p.metaphase}});
  for (const Transition& t : w.transitions)
    transitions.push_back(json::object{
        {"from", t.from}, {"to", t.to}, {"requires", StringArray(t.required)}, {"automatic", t.automatic}});
  return json::serialize(
      json::object{{"change_type", w.change_type}, {"phases", std::move(phases)}, {"transitions", std::move(transitions)}});
}

core::Result<Workflow> DecodeWorkflow(std::string_view doc) {
  CW_ASSIGN_OR_RETURN(json::object o, ParseObject(doc, "workflow"));
  Workflow w;
  w.change_type = Str(o, "change_type");
  if (const json::value* p = o.if_contains("phases"); p && p->is_array())
    for (const auto& x : p->as_array())
      if (x.is_object()) w.phases.push_back({Str(x.as_object(), "id"), Str(x.as_object(), "metaphase")});
  if (const json::value* t = o.if_contains("transitions"); t && t->is_array())
    for (const auto& x : t->as_array())
      if (x.is_object())
        w.transitions.push_back({Str(x.as_object(), "from"), Str(x.as_object(), "to"), Strings(x.as_object(), "requires"),
                                 Bool(x.as_object(), "automatic")});
  if (w.phases.empty()) return Damaged("workflow");
  return w;
}

std::string EncodeTenantName(std::string_view name) { return json::serialize(json::object{{"name", name}}); }

core::Result<std::string> DecodeTenantName(std::string_view doc) {
  CW_ASSIGN_OR_RETURN(json::object o, ParseObject(doc, "tenant"));
  return Str(o, "name");
}

}  // namespace causeway::changes
