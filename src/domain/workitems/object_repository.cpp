#include "domain/workitems/object_repository.h"

#include "domain/workitems/workitems_errors.h"

namespace causeway::workitems::repo {
namespace {

using store::Value;

// The header columns in the order HeaderValues binds them and ReadHeader reads them.
constexpr char kColumns[] =
    "guid, ticket_id, process_type, parent_guid, description, status, project, priority, impact, urgency, "
    "effort_hundredths, effort_unit, ppm_project_id, ppm_project_text, ppm_wave, ppm_wave_text, ppm_start_date, "
    "ppm_finish_date, ppm_completion, ppm_total_work, ppm_total_work_unit, requested_release_no, "
    "requested_release_class, requested_release_type, requested_go_live_date, forecast_release_no, "
    "forecast_release_class, forecast_release_type, forecast_go_live_date, actual_release_no, actual_release_class, "
    "actual_release_type, actual_go_live_date, classification, created_at, created_by, changed_at, changed_by, "
    "handed_over, push_destination, create_message, last_external_status, version";
constexpr int kColumnCount = 43;

std::vector<Value> HeaderValues(const WorkObject& o) {
  std::vector<Value> v = {o.guid, o.ticket_id, o.process_type, o.parent_guid, o.description, o.status, o.project,
                          int64_t{o.priority}, int64_t{o.impact}, int64_t{o.urgency}, o.effort_hundredths,
                          o.effort_unit, o.ppm_project_id, o.ppm_project_text, o.ppm_wave, o.ppm_wave_text,
                          o.ppm_start_date, o.ppm_finish_date, int64_t{o.ppm_completion}, o.ppm_total_work,
                          o.ppm_total_work_unit};
  for (const Release* r : {&o.requested, &o.forecast, &o.actual}) {
    v.emplace_back(r->number);
    v.emplace_back(r->release_class);
    v.emplace_back(r->type);
    v.emplace_back(r->go_live_date);
  }
  v.emplace_back(o.classification);
  v.emplace_back(core::ToUnixMillis(o.created_at));
  v.emplace_back(o.created_by);
  v.emplace_back(core::ToUnixMillis(o.changed_at));
  v.emplace_back(o.changed_by);
  v.emplace_back(int64_t{o.handed_over ? 1 : 0});
  v.emplace_back(o.push_destination);
  v.emplace_back(o.create_message);
  v.emplace_back(o.last_external_status);
  v.emplace_back(o.version);
  return v;
}

WorkObject ReadHeader(const store::Row& r) {
  WorkObject o;
  int c = 0;
  auto s = [&] { return r.String(c++); };
  auto i = [&] { return r.Int(c++); };
  o.guid = s();
  o.ticket_id = s();
  o.process_type = s();
  o.parent_guid = s();
  o.description = s();
  o.status = s();
  o.project = s();
  o.priority = static_cast<int>(i());
  o.impact = static_cast<int>(i());
  o.urgency = static_cast<int>(i());
  o.effort_hundredths = i();
  o.effort_unit = s();
  o.ppm_project_id = s();
  o.ppm_project_text = s();
  o.ppm_wave = s();
  o.ppm_wave_text = s();
  o.ppm_start_date = s();
  o.ppm_finish_date = s();
  o.ppm_completion = static_cast<int>(i());
  o.ppm_total_work = i();
  o.ppm_total_work_unit = s();
  for (Release* rel : {&o.requested, &o.forecast, &o.actual}) {
    rel->number = s();
    rel->release_class = s();
    rel->type = s();
    rel->go_live_date = s();
  }
  o.classification = s();
  o.created_at = core::FromUnixMillis(i());
  o.created_by = s();
  o.changed_at = core::FromUnixMillis(i());
  o.changed_by = s();
  o.handed_over = i() != 0;
  o.push_destination = s();
  o.create_message = i();
  o.last_external_status = s();
  o.version = i();
  return o;
}

std::string SelectHeader(const char* where) { return std::string("SELECT ") + kColumns + " FROM fb_objects " + where; }

core::Result<std::optional<WorkObject>> OneHeader(store::Tx& tx, const std::string& sql, std::string_view key) {
  std::optional<WorkObject> out;
  CW_RETURN_IF_ERROR(tx.Query(sql, {std::string(key)}, [&](const store::Row& r) { out = ReadHeader(r); }));
  return out;
}

core::Status LoadLists(store::Tx& tx, WorkObject& o) {
  const std::vector<Value> key = {o.guid};
  o.partners.clear();
  CW_RETURN_IF_ERROR(tx.Query("SELECT partner_function, partner_no, main FROM fb_partners WHERE guid = ? ORDER BY seq",
                              key, [&](const store::Row& r) {
                                o.partners.push_back({r.String(0), r.String(1), r.Int(2) != 0});
                              }));
  o.texts.clear();
  CW_RETURN_IF_ERROR(tx.Query("SELECT text_id, author, changed_at, body FROM fb_texts WHERE guid = ? ORDER BY seq", key,
                              [&](const store::Row& r) {
                                o.texts.push_back({r.String(0), r.String(1), core::FromUnixMillis(r.Int(2)), r.String(3)});
                              }));
  o.appointments.clear();
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT date_type, stamp, time_zone, is_duration, duration, time_unit FROM fb_appointments WHERE guid = ? "
      "ORDER BY seq",
      key, [&](const store::Row& r) {
        o.appointments.push_back({r.String(0), r.String(1), r.String(2), r.Int(3) != 0, r.Int(4), r.String(5)});
      }));
  o.categories.clear();
  CW_RETURN_IF_ERROR(tx.Query("SELECT category_guid, description, level FROM fb_categories WHERE guid = ? ORDER BY seq",
                              key, [&](const store::Row& r) {
                                o.categories.push_back({r.String(0), r.String(1), static_cast<int>(r.Int(2))});
                              }));
  o.process_structure.clear();
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT project_id, node_id, step_text, process_text, scenario_text FROM fb_process_nodes WHERE guid = ? "
      "ORDER BY seq",
      key, [&](const store::Row& r) {
        o.process_structure.push_back({r.String(0), r.String(1), r.String(2), r.String(3), r.String(4)});
      }));
  o.wricef.clear();
  CW_RETURN_IF_ERROR(tx.Query("SELECT attr_key, attr_value FROM fb_wricef WHERE guid = ? ORDER BY seq", key,
                              [&](const store::Row& r) { o.wricef.push_back({r.String(0), r.String(1)}); }));
  o.documents.clear();
  std::string bad_kind;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT doc_id, kind, file_name, title, doc_status, doc_status_text, doc_type, doc_type_text, author, "
      "author_name, technical_name, extension, link_url, content_type, size, created_at FROM fb_documents "
      "WHERE guid = ? ORDER BY created_at, doc_id",
      key, [&](const store::Row& r) {
        Document d;
        d.id = r.String(0);
        auto kind = ParseDocumentKind(r.Text(1));
        if (!kind) bad_kind = r.String(1);
        d.kind = kind.value_or(DocumentKind::kDocument);
        d.file_name = r.String(2);
        d.title = r.String(3);
        d.status = r.String(4);
        d.status_text = r.String(5);
        d.type = r.String(6);
        d.type_text = r.String(7);
        d.author = r.String(8);
        d.author_name = r.String(9);
        d.technical_name = r.String(10);
        d.extension = r.String(11);
        d.link_url = r.String(12);
        d.content_type = r.String(13);
        d.size = r.Int(14);
        d.created_at = core::FromUnixMillis(r.Int(15));
        o.documents.push_back(std::move(d));
      }));
  if (!bad_kind.empty()) return StoreInconsistent("document kind '" + bad_kind + "'");
  return core::Status::Ok();
}

core::Status WriteLists(store::Tx& tx, const WorkObject& o) {
  for (const char* table : {"fb_partners", "fb_texts", "fb_appointments", "fb_categories", "fb_process_nodes", "fb_wricef"})
    CW_RETURN_IF_ERROR(tx.Exec(std::string("DELETE FROM ") + table + " WHERE guid = ?", {o.guid}));
  int64_t seq = 0;
  for (const auto& p : o.partners)
    CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO fb_partners (guid, seq, partner_function, partner_no, main) VALUES (?, ?, ?, ?, ?)",
                               {o.guid, seq++, p.function, p.partner_no, int64_t{p.main ? 1 : 0}}));
  seq = 0;
  for (const auto& t : o.texts)
    CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO fb_texts (guid, seq, text_id, author, changed_at, body) VALUES (?, ?, ?, ?, ?, ?)",
                               {o.guid, seq++, t.text_id, t.author, core::ToUnixMillis(t.changed_at), t.text}));
  seq = 0;
  for (const auto& a : o.appointments)
    CW_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO fb_appointments (guid, seq, date_type, stamp, time_zone, is_duration, duration, time_unit) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {o.guid, seq++, a.date_type, a.stamp, a.time_zone, int64_t{a.is_duration ? 1 : 0}, a.duration, a.time_unit}));
  seq = 0;
  for (const auto& c : o.categories)
    CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO fb_categories (guid, seq, category_guid, description, level) VALUES (?, ?, ?, ?, ?)",
                               {o.guid, seq++, c.guid, c.description, int64_t{c.level}}));
  seq = 0;
  for (const auto& n : o.process_structure)
    CW_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO fb_process_nodes (guid, seq, project_id, node_id, step_text, process_text, scenario_text) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {o.guid, seq++, n.project_id, n.node_id, n.step_text, n.process_text, n.scenario_text}));
  seq = 0;
  for (const auto& w : o.wricef)
    CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO fb_wricef (guid, seq, attr_key, attr_value) VALUES (?, ?, ?, ?)",
                               {o.guid, seq++, w.key, w.value}));
  return core::Status::Ok();
}

core::Result<std::optional<WorkObject>> WithLists(store::Tx& tx, std::optional<WorkObject> o) {
  if (o) CW_RETURN_IF_ERROR(LoadLists(tx, *o));
  return o;
}

}  // namespace

core::Result<std::optional<WorkObject>> Find(store::Tx& tx, std::string_view guid) {
  CW_ASSIGN_OR_RETURN(auto o, OneHeader(tx, SelectHeader("WHERE guid = ?"), guid));
  return WithLists(tx, std::move(o));
}

core::Result<std::optional<WorkObject>> FindByTicket(store::Tx& tx, std::string_view ticket_id) {
  CW_ASSIGN_OR_RETURN(auto o, OneHeader(tx, SelectHeader("WHERE ticket_id = ?"), ticket_id));
  return WithLists(tx, std::move(o));
}

core::Result<std::optional<WorkObject>> FindHeader(store::Tx& tx, std::string_view guid) {
  return OneHeader(tx, SelectHeader("WHERE guid = ?"), guid);
}

core::Result<std::vector<WorkObject>> Items(store::Tx& tx, std::string_view package_guid) {
  std::vector<WorkObject> out;
  CW_RETURN_IF_ERROR(tx.Query(SelectHeader("WHERE parent_guid = ? ORDER BY ticket_id"), {std::string(package_guid)},
                              [&](const store::Row& r) { out.push_back(ReadHeader(r)); }));
  for (auto& o : out) CW_RETURN_IF_ERROR(LoadLists(tx, o));
  return out;
}

core::Result<std::vector<std::string>> ItemGuids(store::Tx& tx, std::string_view package_guid) {
  std::vector<std::string> out;
  CW_RETURN_IF_ERROR(tx.Query("SELECT guid FROM fb_objects WHERE parent_guid = ? ORDER BY ticket_id",
                              {std::string(package_guid)}, [&](const store::Row& r) { out.push_back(r.String(0)); }));
  return out;
}

core::Result<std::optional<bool>> LockHandedOver(store::Tx& tx, std::string_view guid) {
  CW_RETURN_IF_ERROR(tx.Exec("UPDATE fb_objects SET handed_over = handed_over WHERE guid = ?", {std::string(guid)}));
  std::optional<bool> out;
  CW_RETURN_IF_ERROR(tx.Query("SELECT handed_over FROM fb_objects WHERE guid = ?", {std::string(guid)},
                              [&](const store::Row& r) { out = r.Int(0) != 0; }));
  return out;
}

core::Result<std::vector<WorkObject>> List(store::Tx& tx, std::string_view after_ticket, int limit,
                                           std::string_view process_type) {
  std::vector<WorkObject> out;
  auto row = [&](const store::Row& r) { out.push_back(ReadHeader(r)); };
  if (process_type.empty()) {
    CW_RETURN_IF_ERROR(tx.Query(SelectHeader("WHERE ticket_id > ? ORDER BY ticket_id LIMIT ?"),
                                {std::string(after_ticket), int64_t{limit}}, row));
  } else {
    CW_RETURN_IF_ERROR(tx.Query(SelectHeader("WHERE ticket_id > ? AND process_type = ? ORDER BY ticket_id LIMIT ?"),
                                {std::string(after_ticket), std::string(process_type), int64_t{limit}}, row));
  }
  return out;
}

core::Status Insert(store::Tx& tx, const WorkObject& o) {
  std::string sql = std::string("INSERT INTO fb_objects (") + kColumns + ") VALUES (";
  for (int i = 0; i < kColumnCount; ++i) sql += i ? ", ?" : "?";
  sql += ")";
  const std::vector<Value> values = HeaderValues(o);
  CW_RETURN_IF_ERROR(tx.Exec(sql, values));
  return WriteLists(tx, o);
}

core::Status Update(store::Tx& tx, const WorkObject& o, int64_t expected_version) {
  static const std::string sql = [] {
    std::string s = "UPDATE fb_objects SET ";
    std::string_view cols = kColumns;
    bool first = true;
    // Every column but the key, in kColumns order (guid is the first).
    cols.remove_prefix(cols.find(',') + 2);
    while (!cols.empty()) {
      size_t comma = cols.find(',');
      s += (first ? "" : ", ") + std::string(cols.substr(0, comma)) + " = ?";
      first = false;
      cols = comma == std::string_view::npos ? std::string_view() : cols.substr(comma + 2);
    }
    return s + " WHERE guid = ? AND version = ?";
  }();
  std::vector<Value> values = HeaderValues(o);
  values.erase(values.begin());
  values.emplace_back(o.guid);
  values.emplace_back(expected_version);
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec(sql, values, &changed));
  if (changed != 1) return ChangedMeanwhile(o.ticket_id);
  return WriteLists(tx, o);
}

core::Status UpdatePushState(store::Tx& tx, const WorkObject& o, int64_t expected_version) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec(
      "UPDATE fb_objects SET handed_over = ?, push_destination = ?, create_message = ?, version = ? "
      "WHERE guid = ? AND version = ?",
      {int64_t{o.handed_over ? 1 : 0}, o.push_destination, o.create_message, o.version, o.guid, expected_version},
      &changed));
  if (changed != 1) return ChangedMeanwhile(o.ticket_id);
  return core::Status::Ok();
}

core::Status UpdateStatus(store::Tx& tx, const WorkObject& o, int64_t expected_version) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec(
      "UPDATE fb_objects SET status = ?, changed_at = ?, changed_by = ?, last_external_status = ?, version = ? "
      "WHERE guid = ? AND version = ?",
      {o.status, core::ToUnixMillis(o.changed_at), o.changed_by, o.last_external_status, o.version, o.guid,
       expected_version},
      &changed));
  if (changed != 1) return ChangedMeanwhile(o.ticket_id);
  return core::Status::Ok();
}

core::Status AppendHistory(store::Tx& tx, std::string_view guid, const StatusChange& c) {
  int64_t seq = 0;
  CW_RETURN_IF_ERROR(tx.Query("SELECT COALESCE(MAX(seq), 0) FROM fb_status_history WHERE guid = ?", {std::string(guid)},
                              [&](const store::Row& r) { seq = r.Int(0); }));
  return tx.Exec(
      "INSERT INTO fb_status_history (guid, seq, at_ms, from_status, to_status, changed_by, origin, external_status) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {std::string(guid), seq + 1, core::ToUnixMillis(c.at), c.from, c.to, c.changed_by, c.origin, c.external_status});
}

core::Result<std::vector<StatusChange>> History(store::Tx& tx, std::string_view guid) {
  std::vector<StatusChange> out;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT seq, at_ms, from_status, to_status, changed_by, origin, external_status FROM fb_status_history "
      "WHERE guid = ? ORDER BY seq",
      {std::string(guid)}, [&](const store::Row& r) {
        out.push_back({r.Int(0), core::FromUnixMillis(r.Int(1)), r.String(2), r.String(3), r.String(4), r.String(5),
                       r.String(6)});
      }));
  return out;
}

core::Status InsertDocument(store::Tx& tx, std::string_view guid, const Document& d, std::string_view content_base64) {
  return tx.Exec(
      "INSERT INTO fb_documents (doc_id, guid, kind, file_name, title, doc_status, doc_status_text, doc_type, "
      "doc_type_text, author, author_name, technical_name, extension, link_url, content_type, size, created_at, content) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {d.id, std::string(guid), std::string(DocumentKindName(d.kind)), d.file_name, d.title, d.status, d.status_text,
       d.type, d.type_text, d.author, d.author_name, d.technical_name, d.extension, d.link_url, d.content_type, d.size,
       core::ToUnixMillis(d.created_at), std::string(content_base64)});
}

core::Status DeleteDocument(store::Tx& tx, std::string_view doc_id) {
  return tx.Exec("DELETE FROM fb_documents WHERE doc_id = ?", {std::string(doc_id)});
}

core::Result<std::optional<StoredDocument>> ReadDocument(store::Tx& tx, std::string_view doc_id) {
  std::optional<StoredDocument> out;
  std::string bad_kind;
  CW_RETURN_IF_ERROR(tx.Query(
      "SELECT guid, kind, file_name, title, technical_name, extension, link_url, content_type, size, created_at, "
      "content FROM fb_documents WHERE doc_id = ?",
      {std::string(doc_id)}, [&](const store::Row& r) {
        StoredDocument s;
        s.object_guid = r.String(0);
        auto kind = ParseDocumentKind(r.Text(1));
        if (!kind) bad_kind = r.String(1);
        s.meta.id = std::string(doc_id);
        s.meta.kind = kind.value_or(DocumentKind::kDocument);
        s.meta.file_name = r.String(2);
        s.meta.title = r.String(3);
        s.meta.technical_name = r.String(4);
        s.meta.extension = r.String(5);
        s.meta.link_url = r.String(6);
        s.meta.content_type = r.String(7);
        s.meta.size = r.Int(8);
        s.meta.created_at = core::FromUnixMillis(r.Int(9));
        s.content_base64 = r.String(10);
        out = std::move(s);
      }));
  if (!bad_kind.empty()) return StoreInconsistent("document kind '" + bad_kind + "'");
  return out;
}

core::Result<int64_t> ReserveNumbers(store::Tx& tx, std::string_view object, int64_t count) {
  int64_t changed = 0;
  CW_RETURN_IF_ERROR(tx.Exec("UPDATE fb_number_ranges SET next_number = next_number + ? WHERE object = ?",
                             {count, std::string(object)}, &changed));
  if (changed != 1) return StoreInconsistent("number range " + std::string(object) + " does not exist");
  int64_t next = 0;
  CW_RETURN_IF_ERROR(tx.Query("SELECT next_number FROM fb_number_ranges WHERE object = ?", {std::string(object)},
                              [&](const store::Row& r) { next = r.Int(0); }));
  return next - count;
}

core::Status NoteNumberUsed(store::Tx& tx, std::string_view object, int64_t used) {
  return tx.Exec("UPDATE fb_number_ranges SET next_number = ? WHERE object = ? AND next_number <= ?",
                 {used + 1, std::string(object), used});
}

core::Result<std::optional<StoredCustomizing>> LoadCustomizing(store::Tx& tx, std::string_view name) {
  std::optional<StoredCustomizing> out;
  CW_RETURN_IF_ERROR(tx.Query("SELECT document, changed_at, changed_by FROM fb_customizing WHERE name = ?",
                              {std::string(name)}, [&](const store::Row& r) {
                                out = StoredCustomizing{r.String(0), core::FromUnixMillis(r.Int(1)), r.String(2)};
                              }));
  return out;
}

core::Status StoreCustomizing(store::Tx& tx, std::string_view name, const StoredCustomizing& c) {
  return tx.Exec(
      "INSERT INTO fb_customizing (name, document, changed_at, changed_by) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET document = excluded.document, changed_at = excluded.changed_at, "
      "changed_by = excluded.changed_by",
      {std::string(name), c.document, core::ToUnixMillis(c.changed_at), c.changed_by});
}

core::Result<bool> ReplaceCustomizing(store::Tx& tx, std::string_view name, const StoredCustomizing& c,
                                      const std::string& based_on) {
  int64_t changed = 0;
  if (based_on.empty()) {
    CW_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO fb_customizing (name, document, changed_at, changed_by) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO NOTHING",
                {std::string(name), c.document, core::ToUnixMillis(c.changed_at), c.changed_by}, &changed));
  } else {
    // One statement: on PostgreSQL a concurrent UPDATE of the row makes this one re-check the
    // condition against the committed document (READ COMMITTED), so only one of two wins.
    CW_RETURN_IF_ERROR(
        tx.Exec("UPDATE fb_customizing SET document = ?, changed_at = ?, changed_by = ? "
                "WHERE name = ? AND document = ?",
                {c.document, core::ToUnixMillis(c.changed_at), c.changed_by, std::string(name), based_on}, &changed));
  }
  return changed == 1;
}

}  // namespace causeway::workitems::repo
