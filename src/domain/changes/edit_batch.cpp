#include "domain/changes/edit_batch.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <tuple>

#include "core/ascii.h"
#include "core/blocking.h"
#include "domain/changes/change_errors.h"
#include "domain/changes/change_properties.h"
#include "domain/changes/change_repository.h"

namespace causeway::changes::internal {
namespace {

constexpr std::string_view kAssignedComment = "Change was assigned locally from external system";
constexpr std::string_view kRejectedComment = "Change was rejected by the external fulfillment system";

std::string ExternalKey(std::string_view system, std::string_view external_id) {
  return std::string(system) + "\n" + std::string(external_id);
}

bool HasProperty(const PropertyList& props, std::string_view name) {
  return std::any_of(props.begin(), props.end(), [&](const auto& p) { return p.first == name; });
}

// Values that EncodeChange writes alike: the same type and value, doubles bit for bit (0.0 and
// -0.0 are stored differently).
bool SameValue(const PropertyValue& a, const PropertyValue& b) {
  if (a.index() != b.index()) return false;
  if (const double* x = std::get_if<double>(&a)) {
    const double y = std::get<double>(b);
    return std::memcmp(x, &y, sizeof y) == 0;
  }
  return a == b;
}

// Whether the stored documents (EncodeChange) of `a` and `b` differ in more than the
// bookkeeping every write changes (updated_ms, version). Field by field: encoding both records
// was a tenth of an incoming Update's domain work. A field added to Change belongs here too.
bool SameContent(const Change& a, const Change& b) {
  auto text = [](const Change& c) {
    return std::tie(c.id, c.display_label, c.description, c.change_type, c.change_model, c.phase_id, c.urgency,
                    c.impact_scope, c.reason_for_change, c.justification, c.category, c.service, c.requested_by,
                    c.owning_group, c.completion_code, c.attachments);
  };
  auto counters = [](const Change& c) {
    return std::tie(c.created_ms, c.operation_count, c.last_operation_ms, c.comment_count, c.cancel_generated);
  };
  if (text(a) != text(b) || counters(a) != counters(b) || a.custom.size() != b.custom.size()) return false;
  return std::equal(a.custom.begin(), a.custom.end(), b.custom.begin(),
                    [](const auto& x, const auto& y) { return x.first == y.first && SameValue(x.second, y.second); });
}

}  // namespace

EditBatch::EditBatch(EditContext ctx, store::UnitOfWork& unit, const Directory& dir, const Tenant& tenant,
                     const Caller& caller)
    : ctx_(ctx), unit_(unit), dir_(dir), tenant_(tenant), caller_(caller),
      now_ms_(core::ToUnixMillis(ctx.clock.Now())) {
  for (const ExternalSystem* s : tenant.SystemsAuthorizing(caller.login)) caller_systems_.push_back(s->id);
}

core::Status EditBatch::Run(const std::vector<Edit>& edits, std::vector<EntityOutcome>& outcomes) {
  // Every record an edit names, and every external id an incoming Create names (so that two
  // deliveries of one Create cannot both create), locked at once.
  std::set<std::string> keys;
  for (const Edit& e : edits) {
    if (!e.id.empty()) keys.insert(tenant_.id + "/" + e.id);
    if (e.kind == Edit::Kind::kIncoming && e.ext.external_id && !e.ext.external_id->empty())
      keys.insert(tenant_.id + "/ext/" + ExternalKey(e.ext.system, *e.ext.external_id));
  }
  std::vector<std::string> locked(keys.begin(), keys.end());
  CW_RETURN_IF_ERROR(ctx_.locks.Acquire(locked, unit_.id(), ctx_.lock_timeout));
  RecordLocks& locks = ctx_.locks;
  unit_.OnCommit([&locks, locked] { locks.Release(locked); });
  unit_.OnRollback([&locks, locked] { locks.Release(locked); });

  CW_RETURN_IF_ERROR(Load(edits));
  for (size_t i = 0; i < edits.size(); ++i) RunOne(edits[i], outcomes[i]);
  // An edit that would have waited (core/blocking.h) is no refusal of its entity: the whole
  // batch runs again where waiting is allowed.
  for (const EntityOutcome& o : outcomes)
    if (!o.status.ok() && core::IsWouldBlock(o.status.error())) return core::WouldBlock();
  return Stage();
}

core::Status EditBatch::Load(const std::vector<Edit>& edits) {
  std::set<std::string> ids;
  std::set<std::pair<std::string, std::string>> externals;
  for (const Edit& e : edits) {
    if (!e.id.empty()) ids.insert(e.id);
    // Only a Create asks which record an external id is linked to (a repeated delivery finds
    // the first one's record); every other operation names its record by Id.
    if (e.kind == Edit::Kind::kIncoming && e.ext.external_id && !e.ext.external_id->empty() &&
        ParseOperation(e.ext.operation) == Operation::kCreate)
      externals.insert({e.ext.system, *e.ext.external_id});
  }
  if (ids.empty() && externals.empty()) return core::Status::Ok();
  return ctx_.db.Read([&](store::Tx& tx) -> core::Status {
    for (const auto& [system, external_id] : externals) {
      CW_ASSIGN_OR_RETURN(auto ref, repo::FindRefByExternalId(tx, tenant_.id, system, external_id));
      if (ref) {
        created_by_external_[ExternalKey(system, external_id)] = ref->change_id;
        ids.insert(ref->change_id);
      }
    }
    for (const std::string& id : ids) {
      CW_ASSIGN_OR_RETURN(auto change, repo::FindChange(tx, tenant_.id, id));
      Record rec;
      if (change) {
        auto state = std::make_shared<ChangeState>();
        rec.stored_version = change->version;
        state->change = std::move(*change);
        CW_ASSIGN_OR_RETURN(state->comments, repo::Comments(tx, tenant_.id, id));
        CW_ASSIGN_OR_RETURN(state->references, repo::RefsOfChange(tx, tenant_.id, id));
        rec.state = std::move(state);
      }
      records_[id] = std::move(rec);
    }
    return core::Status::Ok();
  });
}

core::Result<std::string> EditBatch::NextNumber() {
  CW_ASSIGN_OR_RETURN(int64_t n, ctx_.numbers.Next());
  return std::to_string(n);
}

core::Result<EditBatch::Draft> EditBatch::NewDraft() {
  Draft d;
  CW_ASSIGN_OR_RETURN(d.state.change.id, NextNumber());
  Change& c = d.state.change;
  c.created_ms = c.updated_ms = now_ms_;
  c.requested_by = caller_.person_id;
  auto wf = dir_.workflows.find(c.change_type);
  if (wf == dir_.workflows.end() && !dir_.workflows.empty()) wf = dir_.workflows.begin();
  if (wf != dir_.workflows.end()) {
    c.change_type = wf->first;
    c.phase_id = wf->second.InitialPhase();
  }
  return d;
}

core::Result<EditBatch::Draft> EditBatch::DraftOf(const std::string& id) {
  auto it = records_.find(id);
  if (it == records_.end() || !it->second.state) return errors::ChangeNotFound(id);
  Draft d;
  d.state = *it->second.state;
  d.before = d.state.change;
  return d;
}

core::Status EditBatch::ApplyInput(const ChangeInput& in, bool from_integration, Draft& d) {
  Change& c = d.state.change;
  const std::string old_type = c.change_type;
  CW_RETURN_IF_ERROR(ApplyProperties(in.properties, tenant_, dir_.workflows, c));
  auto wf = dir_.workflows.find(c.change_type);
  if (wf == dir_.workflows.end()) return errors::InvalidValue("ChangeType", c.change_type, "a configured change type");
  // Where the record's phase stood before this edit: a new record or a new type starts over.
  const std::string from =
      (!d.before || c.change_type != old_type) ? wf->second.InitialPhase() : d.before->phase_id;
  const bool explicit_phase = HasProperty(in.properties, "PhaseId");
  if (c.phase_id != from) CW_RETURN_IF_ERROR(CheckPhaseChange(wf->second, c, from));

  if (in.attachments) {
    std::vector<Attachment> list;
    std::set<std::string> seen;
    for (Attachment a : *in.attachments) {
      if (a.id.empty() || !seen.insert(a.id).second) continue;
      const bool known = d.before && std::any_of(d.before->attachments.begin(), d.before->attachments.end(),
                                                 [&](const Attachment& x) { return x.id == a.id; });
      if (!known) {
        std::optional<FileInfo> file;
        CW_RETURN_IF_ERROR(ctx_.db.Read([&](store::Tx& tx) -> core::Status {
          CW_ASSIGN_OR_RETURN(file, repo::FindFile(tx, tenant_.id, a.id, nullptr));
          return core::Status::Ok();
        }));
        if (!file) return errors::FileNotUploaded(a.id);
        if (a.file_name.empty()) a.file_name = file->name;
        if (a.mime_type.empty()) a.mime_type = file->content_type;
        if (a.size == 0) a.size = file->length;
        if (a.creator.empty()) a.creator = file->creator;
        if (a.last_update_ms == 0) a.last_update_ms = file->created_ms;
        if (a.file_extension.empty()) {
          size_t dot = a.file_name.rfind('.');
          if (dot != std::string::npos) a.file_extension = a.file_name.substr(dot + 1);
        }
        d.attachments_added.push_back(a.id);
      }
      list.push_back(std::move(a));
    }
    c.attachments = std::move(list);
  }
  if (!explicit_phase) ApplyAutomaticTransitions(wf->second, c);
  return AddComments(in.comments, from_integration, d);
}

core::Status EditBatch::AddComments(const std::vector<CommentInput>& in, bool from_integration, Draft& d) {
  Change& c = d.state.change;
  for (const CommentInput& ci : in) {
    if (ci.body.empty()) return errors::BadComment("Body is empty");
    const std::string privacy = ci.privacy.empty() ? "PUBLIC" : ci.privacy;
    if (!OneOf(kPrivacyTypes, privacy)) return errors::InvalidValue("PrivacyType", privacy, "PUBLIC, PRIVATE");
    const int64_t created = ci.created_ms.value_or(now_ms_);
    // The integration re-sends comments it already has (it merges both sides' lists): one of
    // the record's own, named by its id, or any with the same body and creation time, is not
    // added again. An id is only compared together with the body: the external tool's own
    // comment ids are numbers in the same range as the record's.
    // A foreign comment with an Id of its own but no CreatedTime is stamped now, and its Id is
    // not kept: its next re-send is told by its Body among what the integration wrote.
    const bool foreign_untimed = !ci.id.empty() && !ci.created_ms && from_integration;
    auto same = [&](const Comment& x) {
      return x.body == ci.body &&
             ((!ci.id.empty() && x.id == ci.id) || x.created_ms == created || (foreign_untimed && x.is_system));
    };
    if (std::any_of(d.state.comments.begin(), d.state.comments.end(), same)) continue;
    if (!ci.submitter.empty() && !tenant_.FindPerson(ci.submitter))
      return errors::UnknownRelated("Submitter.UserId", ci.submitter);
    Comment cm;
    // Always the record's numbering, never the sender's id: a foreign id could be one the
    // record already holds.
    CW_ASSIGN_OR_RETURN(cm.id, NextNumber());
    cm.body = ci.body;
    cm.privacy = privacy;
    // Whatever the integration writes is a system comment: it never travels back (no ping-pong).
    cm.is_system = from_integration || ci.is_system.value_or(false);
    cm.created_ms = created;
    cm.submitter = ci.submitter.empty() ? caller_.person_id : ci.submitter;
    cm.seq = ++c.comment_count;
    d.state.comments.push_back(cm);
    d.comments_added.push_back(std::move(cm));
  }
  return core::Status::Ok();
}

core::Status EditBatch::AddSystemComment(std::string_view text, Draft& d) {
  Comment cm;
  CW_ASSIGN_OR_RETURN(cm.id, NextNumber());
  cm.body = std::string(text);
  cm.is_system = true;
  cm.created_ms = now_ms_;
  cm.submitter = caller_.person_id;
  cm.seq = ++d.state.change.comment_count;
  d.state.comments.push_back(cm);
  d.comments_added.push_back(std::move(cm));
  return core::Status::Ok();
}

core::Status EditBatch::LinkReference(const ExternalProperties& ext, bool create, Draft& d) {
  const ExternalReference* old = d.state.ReferenceOf(ext.system);
  auto given = [](const std::optional<std::string>& v) { return v && !v->empty(); };
  if (!old && !create && !given(ext.external_id)) return core::Status::Ok();
  ExternalReference r = old ? *old : ExternalReference{};
  if (!old) {
    CW_ASSIGN_OR_RETURN(r.id, NextNumber());
    r.change_id = d.state.change.id;
    r.system_id = ext.system;
  }
  // An Update without ExternalId keeps the stored one (and likewise for status and type).
  if (given(ext.external_id)) r.external_id = *ext.external_id;
  if (given(ext.external_status)) r.external_status = *ext.external_status;
  if (given(ext.external_entity_type)) r.external_entity_type = *ext.external_entity_type;
  if (old && old->external_id == r.external_id && old->external_status == r.external_status &&
      old->external_entity_type == r.external_entity_type)
    return core::Status::Ok();
  d.references[ext.system] = r;
  auto& refs = d.state.references;
  auto it = std::find_if(refs.begin(), refs.end(), [&](const ExternalReference& x) { return x.system_id == ext.system; });
  if (it != refs.end()) *it = r;
  else refs.push_back(r);
  return core::Status::Ok();
}

void EditBatch::RunOne(const Edit& edit, EntityOutcome& out) {
  if (edit.kind == Edit::Kind::kIncoming) {
    IncomingRecord log{0,
                       tenant_.id,
                       edit.id,
                       edit.ext.system,
                       edit.ext.operation,
                       edit.ext.external_id.value_or(""),
                       caller_.login,
                       now_ms_,
                       200,
                       {}};
    core::Status st = RunIncoming(edit, out, log);
    if (!st.ok()) {
      out.status = st;
      out.state = nullptr;
      log.http_status = st.error().HttpStatus();
      log.message = st.error().text;
    }
    if (log.change_id.empty()) log.change_id = out.id;
    incoming_.push_back(std::move(log));
    return;
  }
  auto run = [&]() -> core::Status {
    Draft d;
    if (edit.kind == Edit::Kind::kCreate) {
      CW_ASSIGN_OR_RETURN(d, NewDraft());
    } else {
      CW_ASSIGN_OR_RETURN(d, DraftOf(edit.id));
    }
    d.cause_systems = caller_systems_;
    if (edit.kind == Edit::Kind::kComment) CW_RETURN_IF_ERROR(AddComments(edit.input.comments, false, d));
    else CW_RETURN_IF_ERROR(ApplyInput(edit.input, false, d));
    out.id = d.state.change.id;
    out.state = Finish(std::move(d));
    return core::Status::Ok();
  };
  out.id = edit.id;
  out.status = run();
}

core::Status EditBatch::RunIncoming(const Edit& edit, EntityOutcome& out, IncomingRecord& log) {
  out.id = edit.id;
  if (edit.entity_type != "Change") return errors::EntityTypeNotSupported(edit.entity_type);
  const ExternalSystem* system = tenant_.FindSystem(edit.ext.system);
  if (!system) return errors::UnknownSystem(edit.ext.system);
  if (!core::IEquals(system->authorized_user, caller_.login)) return errors::NotAuthorizedUser(caller_.login, system->id);
  std::optional<Operation> op = ParseOperation(edit.ext.operation);
  if (!op) return errors::UnknownOperation(edit.ext.operation);

  Draft d;
  if (*op == Operation::kCreate) {
    // A Create delivered again (at least once) finds the record its first delivery made.
    if (edit.ext.external_id && !edit.ext.external_id->empty()) {
      auto it = created_by_external_.find(ExternalKey(system->id, *edit.ext.external_id));
      if (it != created_by_external_.end()) {
        auto rec = records_.find(it->second);
        if (rec != records_.end() && rec->second.state) {
          out.id = it->second;
          out.state = rec->second.state;
          log.message = "Create repeated: change " + it->second + " already links external id " + *edit.ext.external_id;
          return core::Status::Ok();
        }
      }
    }
    CW_ASSIGN_OR_RETURN(d, NewDraft());
    d.cause_systems = {system->id};
    CW_RETURN_IF_ERROR(ApplyInput(edit.input, true, d));
    CW_RETURN_IF_ERROR(LinkReference(edit.ext, true, d));
    out.id = d.state.change.id;
    if (edit.ext.external_id && !edit.ext.external_id->empty())
      created_by_external_[ExternalKey(system->id, *edit.ext.external_id)] = out.id;
    out.state = Finish(std::move(d));
    return core::Status::Ok();
  }
  switch (*op) {
    case Operation::kUpdate:
    case Operation::kAssign:
    case Operation::kReject:
    case Operation::kCancel:
      break;
    default:
      return errors::OperationNotSupported(edit.ext.operation);
  }
  if (edit.id.empty()) return errors::IdRequired(edit.ext.operation);
  CW_ASSIGN_OR_RETURN(d, DraftOf(edit.id));
  d.cause_systems = {system->id};
  Change& c = d.state.change;
  switch (*op) {
    case Operation::kUpdate:
      CW_RETURN_IF_ERROR(ApplyInput(edit.input, true, d));
      CW_RETURN_IF_ERROR(LinkReference(edit.ext, false, d));
      break;
    case Operation::kAssign:
      CW_RETURN_IF_ERROR(AddComments(edit.input.comments, true, d));
      CW_RETURN_IF_ERROR(AddSystemComment(kAssignedComment, d));
      CW_RETURN_IF_ERROR(LinkReference(edit.ext, false, d));
      break;
    case Operation::kReject:
      CW_RETURN_IF_ERROR(AddComments(edit.input.comments, true, d));
      CW_RETURN_IF_ERROR(AddSystemComment(kRejectedComment, d));
      if (d.state.ReferenceOf(system->id)) {
        d.references[system->id] = std::nullopt;
        auto& refs = d.state.references;
        refs.erase(std::remove_if(refs.begin(), refs.end(),
                                  [&](const ExternalReference& r) { return r.system_id == system->id; }),
                   refs.end());
      }
      break;
    case Operation::kCancel: {
      CW_RETURN_IF_ERROR(AddComments(edit.input.comments, true, d));
      auto wf = dir_.workflows.find(c.change_type);
      if (wf == dir_.workflows.end()) return errors::InvalidValue("ChangeType", c.change_type, "a configured change type");
      const std::string from = c.phase_id;
      c.completion_code = std::string(kWithdrawn);
      // A Cancel delivered again finds the record abandoned already: nothing more to do.
      if (from != kAbandonPhase) {
        c.phase_id = std::string(kAbandonPhase);
        CW_RETURN_IF_ERROR(CheckPhaseChange(wf->second, c, from));
      }
      CW_RETURN_IF_ERROR(LinkReference(edit.ext, false, d));
      break;
    }
    default:
      break;
  }
  out.state = Finish(std::move(d));
  return core::Status::Ok();
}

std::shared_ptr<const ChangeState> EditBatch::Finish(Draft d) {
  Change& c = d.state.change;
  Record& rec = records_[c.id];
  if (!d.before) rec.is_new = true;

  EditFacts facts;
  facts.before = d.before ? &*d.before : nullptr;
  facts.after = &c;
  for (const Comment& cm : d.comments_added)
    if (!cm.is_system && cm.privacy == "PUBLIC") facts.comments_added.push_back(cm.id);
  facts.attachments_added = d.attachments_added;
  facts.cause_systems = d.cause_systems;
  std::vector<PlannedOperation> planned = PlanOutgoing(tenant_, facts, c);

  int64_t stamp = 0;
  if (!planned.empty()) {
    stamp = ctx_.op_clock.Stamp(c.last_operation_ms);
    OperationClock& clock = ctx_.op_clock;
    unit_.OnCommit([&clock, stamp] { clock.Release(stamp); });
    unit_.OnRollback([&clock, stamp] { clock.Release(stamp); });
    c.last_operation_ms = stamp;
  }
  std::vector<OutgoingRecord> ops;
  for (const PlannedOperation& p : planned) {
    OutgoingRecord r;
    r.tenant = tenant_.id;
    r.change_id = c.id;
    r.rseq = ++c.operation_count;
    r.system_id = p.system_id;
    r.operation = std::string(OperationName(p.operation));
    r.time_ms = stamp;
    r.cause = p.cause;
    const ExternalSystem* s = tenant_.FindSystem(p.system_id);
    r.pushed = s && ctx_.publisher && ctx_.publisher->Pushes(tenant_, *s);
    ops.push_back(std::move(r));
  }
  const bool changed = !d.before || !SameContent(*d.before, c) || !d.comments_added.empty();
  if (changed) {
    c.updated_ms = now_ms_;
    c.version = rec.stored_version + 1;
    rec.dirty = true;
  }
  const std::string id = c.id;
  auto state = std::make_shared<const ChangeState>(std::move(d.state));  // `c` is gone from here on
  rec.state = state;
  for (Comment& cm : d.comments_added) comments_.emplace_back(id, std::move(cm));
  for (auto& [system, ref] : d.references) references_[{id, system}] = std::move(ref);
  for (OutgoingRecord& r : ops) {
    if (r.pushed) pushes_.push_back({r, state});
    outgoing_.push_back(std::move(r));
  }
  return state;
}

core::Status EditBatch::Stage() {
  struct Writes {
    std::string tenant;
    std::vector<std::pair<Change, std::optional<int64_t>>> changes;  // expected version; none: insert
    std::vector<std::pair<std::string, Comment>> comments;
    std::vector<ExternalReference> upserts;
    std::vector<std::pair<std::string, std::string>> deletes;
    std::vector<OutgoingRecord> outgoing;
    std::vector<IncomingRecord> incoming;
  };
  auto w = std::make_shared<Writes>();
  w->tenant = tenant_.id;
  for (const auto& [id, rec] : records_) {
    if (!rec.dirty || !rec.state) continue;
    w->changes.emplace_back(rec.state->change, rec.is_new ? std::nullopt : std::optional<int64_t>(rec.stored_version));
  }
  w->comments = std::move(comments_);
  for (auto& [key, ref] : references_) {
    if (ref) w->upserts.push_back(std::move(*ref));
    else w->deletes.emplace_back(key.first, key.second);
  }
  w->outgoing = std::move(outgoing_);
  w->incoming = std::move(incoming_);
  if (w->changes.empty() && w->comments.empty() && w->upserts.empty() && w->deletes.empty() && w->outgoing.empty() &&
      w->incoming.empty())
    return core::Status::Ok();
  unit_.Add([w](store::Tx& tx) -> core::Status {
    for (const auto& [change, expected] : w->changes) {
      if (expected) CW_RETURN_IF_ERROR(repo::UpdateChange(tx, w->tenant, change, *expected));
      else CW_RETURN_IF_ERROR(repo::InsertChange(tx, w->tenant, change));
    }
    for (const auto& [change_id, comment] : w->comments) CW_RETURN_IF_ERROR(repo::InsertComment(tx, w->tenant, change_id, comment));
    for (const auto& r : w->upserts) CW_RETURN_IF_ERROR(repo::UpsertRef(tx, w->tenant, r));
    for (const auto& [change_id, system] : w->deletes) CW_RETURN_IF_ERROR(repo::DeleteRef(tx, w->tenant, change_id, system));
    for (const auto& r : w->outgoing) CW_RETURN_IF_ERROR(oplog::InsertOutgoing(tx, r));
    for (const auto& r : w->incoming) CW_RETURN_IF_ERROR(oplog::InsertIncoming(tx, r));
    return core::Status::Ok();
  });
  if (ctx_.publisher)
    for (const Push& p : pushes_) CW_RETURN_IF_ERROR(ctx_.publisher->Stage(unit_, tenant_, p.operation, *p.state));
  return core::Status::Ok();
}

}  // namespace causeway::changes::internal
