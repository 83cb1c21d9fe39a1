#include "domain/activities/task_repository.h"

#include "core/ascii.h"

namespace causeway::activities::tasks {
namespace {

core::Result<std::optional<Task>> One(store::Tx& tx, const char* sql, store::Value key) {
  std::optional<std::string> doc;
  CW_RETURN_IF_ERROR(tx.Query(sql, {std::move(key)}, [&](const store::Row& r) { doc = r.String(0); }));
  if (!doc) return std::optional<Task>();
  CW_ASSIGN_OR_RETURN(Task t, DecodeTask(*doc));
  return std::optional<Task>(std::move(t));
}

std::string ProcessorId(const Task& t) { return t.processor ? t.processor->business_partner_id : std::string(); }

}  // namespace

core::Result<std::optional<Task>> FindById(store::Tx& tx, int64_t id, bool lock) {
  return One(tx, lock ? "SELECT document FROM activity_tasks WHERE id = ? FOR UPDATE"
                      : "SELECT document FROM activity_tasks WHERE id = ?",
             id);
}

core::Result<std::optional<Task>> FindByUuid(store::Tx& tx, std::string_view uuid, bool lock) {
  return One(tx, lock ? "SELECT document FROM activity_tasks WHERE uuid = ? FOR UPDATE"
                      : "SELECT document FROM activity_tasks WHERE uuid = ?",
             core::ToLower(uuid));
}

core::Status Insert(store::Tx& tx, const Task& t) {
  return tx.Exec(
      "INSERT INTO activity_tasks (id, uuid, change_state, name, life_cycle_status, processor_id, created_at, "
      "created_by, changed_at, changed_by, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {t.id, core::ToLower(t.uuid), t.change_state_id, t.name, t.life_cycle_status, ProcessorId(t),
       core::ToUnixMillis(t.created_at), t.created_by, core::ToUnixMillis(t.changed_at), t.changed_by, EncodeTask(t)});
}

core::Status Update(store::Tx& tx, const Task& t) {
  return tx.Exec(
      "UPDATE activity_tasks SET change_state = ?, name = ?, life_cycle_status = ?, processor_id = ?, changed_at = ?, "
      "changed_by = ?, document = ? WHERE id = ?",
      {t.change_state_id, t.name, t.life_cycle_status, ProcessorId(t), core::ToUnixMillis(t.changed_at), t.changed_by,
       EncodeTask(t), t.id});
}

core::Status Delete(store::Tx& tx, int64_t id) { return tx.Exec("DELETE FROM activity_tasks WHERE id = ?", {id}); }

core::Result<std::vector<Task>> List(store::Tx& tx, int64_t after_id, size_t limit) {
  std::vector<std::string> docs;
  CW_RETURN_IF_ERROR(tx.Query("SELECT document FROM activity_tasks WHERE id > ? ORDER BY id LIMIT ?",
                              {after_id, static_cast<int64_t>(limit)},
                              [&](const store::Row& r) { docs.push_back(r.String(0)); }));
  std::vector<Task> out;
  for (const auto& d : docs) {
    CW_ASSIGN_OR_RETURN(Task t, DecodeTask(d));
    out.push_back(std::move(t));
  }
  return out;
}

core::Status NumberRange::Open() {
  opened_ = true;
  return tx_.Query(
      "UPDATE activity_number_ranges SET next_number = next_number WHERE object = ? RETURNING next_number",
      {object_}, [&](const store::Row& r) { first_ = r.Int(0); });
}

core::Result<int64_t> NumberRange::Next() const {
  if (!opened_ || !first_)
    return core::MakeError(core::Code::kInternal, "CAUSEWAY/ACTIVITY", "901", "number range " + object_ + " does not exist");
  return *first_ + taken_;
}

core::Status NumberRange::Close() {
  if (!first_ || taken_ == 0) return core::Status::Ok();
  return tx_.Exec("UPDATE activity_number_ranges SET next_number = ? WHERE object = ?", {*first_ + taken_, object_});
}

}  // namespace causeway::activities::tasks
