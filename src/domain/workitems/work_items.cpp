#include "domain/workitems/work_items.h"

#include "core/ascii.h"
#include "core/base64.h"
#include "domain/workitems/workitems_errors.h"
#include "store/shared_setting.h"

namespace causeway::workitems {

struct WorkItems::Loaded {
  std::shared_ptr<const Customizing> customizing;
  WorkObject object;
  std::optional<WorkObject> package;  // a work item's package (header)
  int64_t version = 0;                // as read
};

namespace {

constexpr char kTicketRange[] = "TICKET";
constexpr char kCustomizingName[] = "current";
constexpr char kSystemGuidSetting[] = "system_guid";

std::string StatusLabel(const StatusProfile* profile, const std::string& code) {
  const UserStatus* s = profile ? profile->Find(code) : nullptr;
  return s && !s->text.empty() ? code + " (" + s->text + ")" : code;
}

// The internal status the profile maps `external` to for `o`, or "".
std::string MapInbound(const Customizing& c, const WorkObject& o, std::string_view external) {
  const ProjectMapping* m = c.FindMapping(o.project);
  const IntegrationProfile* p = m ? c.FindProfile(m->profile) : nullptr;
  const ProcessTypeSettings* s = p ? p->Find(o.process_type) : nullptr;
  if (!s) return {};
  for (const auto& mapping : s->inbound_status)
    if (mapping.external_status == external) return mapping.internal_status;
  return {};
}

std::string Extension(std::string_view file_name) {
  size_t dot = file_name.rfind('.');
  return dot == std::string_view::npos ? std::string() : core::ToUpper(file_name.substr(dot + 1));
}

// Checks a new document and fills its defaults.
core::Result<Document> PrepareDocument(const NewDocument& in, const std::string& user, core::SystemTime now,
                                       const std::vector<Document>& existing, int64_t max_bytes) {
  Document d = in.meta;
  const bool link = d.kind == DocumentKind::kAttachment && !d.link_url.empty();
  if (link && !in.content.empty()) return BadField("content", "a link attachment has no content");
  if (static_cast<int64_t>(in.content.size()) > max_bytes)
    return DocumentTooLarge(static_cast<int64_t>(in.content.size()), max_bytes);
  d.id = d.id.empty() ? NewGuid() : core::ToUpper(d.id);
  if (!IsUpperHexGuid(d.id)) return BadField("id", "must be 32 hexadecimal characters");
  if (d.file_name.empty()) return BadField("file_name", "must not be empty");
  if (d.file_name.size() > 255 || d.file_name.find_first_of("\r\n\"") != std::string::npos)
    return BadField("file_name", "at most 255 characters, no quotes or line breaks");
  if (d.kind == DocumentKind::kDocument) {
    if (!d.link_url.empty()) return BadField("link_url", "only attachments can be links");
    if (d.title.empty()) d.title = d.file_name;
    if (d.author.empty()) d.author = user;
    if (d.author_name.empty()) d.author_name = d.author;
  } else {
    if (d.technical_name.empty()) d.technical_name = d.file_name;
    if (d.extension.empty()) d.extension = link ? "URL" : Extension(d.technical_name);
  }
  if (d.technical_name.find_first_of("\r\n\"") != std::string::npos)
    return BadField("technical_name", "no quotes or line breaks");
  if (link && d.link_url.find_first_of(" \r\n\t") != std::string::npos) return BadField("link_url", "must be a URL");
  if (d.content_type.empty()) d.content_type = link ? "text/uri-list" : "application/octet-stream";
  if (d.content_type.find_first_of("\r\n") != std::string::npos) return BadField("content_type", "holds a line break");
  d.size = static_cast<int64_t>(in.content.size());
  d.created_at = now;
  for (const auto& e : existing)
    if (e.id == d.id) return BadField("id", "document " + d.id + " exists already");
  return d;
}

}  // namespace

WorkItems::WorkItems(store::Database& db, const core::Clock& clock, exchange::Outbox* outbox,
                     const PayloadBuilder& builder, WorkItemsOptions options)
    : db_(db),
      clock_(clock),
      outbox_(outbox),
      builder_(builder),
      options_(std::move(options)),
      customizing_(std::make_shared<const Customizing>()) {}

core::Status WorkItems::Open() {
  if (!options_.system_guid.empty()) {
    if (!IsUpperHexGuid(options_.system_guid))
      return BadField("system_guid", "must be 32 upper-case hexadecimal characters");
    system_guid_ = options_.system_guid;
    return core::Status::Ok();
  }
  CW_ASSIGN_OR_RETURN(system_guid_, SharedSetting(kSystemGuidSetting, [] { return NewGuid(); }));
  return core::Status::Ok();
}

core::Result<std::string> WorkItems::SharedSetting(const std::string& name, const std::function<std::string()>& generate) {
  return store::SharedSetting(db_, "fb_settings", name, generate);
}

std::shared_ptr<const Customizing> WorkItems::customizing() const {
  std::lock_guard lock(mu_);
  return customizing_;
}

core::Status WorkItems::UseCustomizing(Customizing c) {
  CW_RETURN_IF_ERROR(Validate(c));
  auto next = std::make_shared<const Customizing>(std::move(c));
  std::lock_guard lock(mu_);
  customizing_ = std::move(next);
  return core::Status::Ok();
}

core::Status WorkItems::SaveCustomizing(Customizing c, std::string document, const std::string& user,
                                        const std::string* based_on) {
  CW_RETURN_IF_ERROR(Validate(c));
  repo::StoredCustomizing stored{std::move(document), clock_.Now(), user};
  CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
    if (!based_on) return repo::StoreCustomizing(tx, kCustomizingName, stored);
    CW_ASSIGN_OR_RETURN(bool replaced, repo::ReplaceCustomizing(tx, kCustomizingName, stored, *based_on));
    if (!replaced) return CustomizingChangedMeanwhile();
    return core::Status::Ok();
  }));
  return UseCustomizing(std::move(c));
}

core::Result<std::optional<repo::StoredCustomizing>> WorkItems::StoredCustomizing() const {
  std::optional<repo::StoredCustomizing> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, repo::LoadCustomizing(tx, kCustomizingName));
    return core::Status::Ok();
  }));
  return out;
}

core::Result<WorkObject> WorkItems::FindObject(store::Tx& tx, std::string_view id) const {
  std::optional<WorkObject> o;
  if (IsTicketId(id)) {
    CW_ASSIGN_OR_RETURN(o, repo::FindByTicket(tx, id));
  } else {
    CW_ASSIGN_OR_RETURN(o, repo::Find(tx, core::ToUpper(id)));
  }
  if (!o) return ObjectNotFound(std::string(id));
  return std::move(*o);
}

core::Result<WorkItems::Loaded> WorkItems::Load(std::string_view id) const {
  Loaded l;
  l.customizing = customizing();
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(l.object, FindObject(tx, id));
    l.package.reset();
    if (!l.object.parent_guid.empty()) {
      CW_ASSIGN_OR_RETURN(auto p, repo::FindHeader(tx, l.object.parent_guid));
      if (!p) return StoreInconsistent("work item " + l.object.ticket_id + " has no package");
      l.package = std::move(*p);
    }
    return core::Status::Ok();
  }));
  l.version = l.object.version;
  return l;
}

core::Result<std::string> WorkItems::NextTicketId() {
  std::lock_guard lock(numbers_mu_);
  if (next_number_ >= end_number_) {
    const int64_t block = std::max(1, options_.number_block);
    int64_t first = 0;
    CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(first, repo::ReserveNumbers(tx, kTicketRange, block));
      return core::Status::Ok();
    }));
    next_number_ = first;
    end_number_ = first + block;
  }
  std::string id = std::to_string(next_number_++);
  if (!IsTicketId(id)) return StoreInconsistent("the ticket number range is exhausted");
  return id;
}

core::Status WorkItems::CheckReferences(const Customizing& c, const WorkObject& o) const {
  if (!c.FindProject(o.project)) return BadField("project", "unknown cPro project '" + o.project + "'");
  for (size_t i = 0; i < o.partners.size(); ++i)
    if (!c.FindPartner(o.partners[i].partner_no))
      return BadField("partners[" + std::to_string(i) + "].partner_no",
                      "unknown business partner '" + o.partners[i].partner_no + "'");
  const StatusProfile* sp = c.StatusProfileOf(o.process_type);
  if (!sp) return BadCustomizing("process_types[" + o.process_type + "]", "has no status profile");
  if (!sp->Find(o.status)) return BadField("status", o.status + " is not a status of profile " + sp->name);
  return core::Status::Ok();
}

std::string WorkItems::PushBlocker(const Customizing& c, const WorkObject& o, const WorkObject* package) const {
  const ProjectMapping* m = c.FindMapping(o.project);
  if (!m) return "project " + o.project + " has no mapping for external tool integration";
  const IntegrationProfile* p = c.FindProfile(m->profile);
  const ProcessTypeSettings* s = p ? p->Find(o.process_type) : nullptr;
  if (!s || !s->enabled) return "process type " + o.process_type + " is not enabled in profile " + m->profile;
  bool in_function = false, triggered = false;
  for (const auto& pa : o.partners) {
    if (pa.function != s->partner_function) continue;
    in_function = true;
    const BusinessPartner* bp = c.FindPartner(pa.partner_no);
    if (bp && bp->Has(kTriggerIdType, kTriggerIdNumber)) triggered = true;
  }
  if (!in_function) return "no partner in partner function " + s->partner_function;
  if (!triggered)
    return "the partner in partner function " + s->partner_function + " has no identification " + kTriggerIdType +
           " with number " + kTriggerIdNumber;
  if (package && (package->create_message == 0 || package->push_destination != m->destination))
    return "its work package " + package->ticket_id + " was not handed over to " + m->destination;
  if (!outbox_) return "no outbox is configured";
  return {};
}

core::Result<bool> WorkItems::NeedsCreate(const WorkObject& o, const std::string& destination) const {
  if (o.create_message == 0 || o.push_destination != destination) return true;
  CW_ASSIGN_OR_RETURN(auto result, outbox_->ObjectResult(destination, o.guid));
  if (result) return false;
  auto detail = outbox_->Get(o.create_message);
  if (!detail.ok()) {
    // Pruned without a stored result: it was skipped, never delivered.
    if (detail.error().code == core::Code::kNotFound) return true;
    return detail.error();
  }
  return detail->message.state == exchange::MessageState::kSkipped;
}

core::Status WorkItems::StagePush(const Customizing& c, WorkObject& o, const WorkObject* package, const Actor& actor,
                                  store::UnitOfWork& unit, std::vector<PushRecord>& pushes) {
  const ProjectMapping& m = *c.FindMapping(o.project);
  const ProcessTypeSettings* settings = c.FindProfile(m.profile)->Find(o.process_type);
  CW_ASSIGN_OR_RETURN(bool create, NeedsCreate(o, m.destination));
  PushView view{.kind = create ? PushKind::kCreate : PushKind::kUpdate,
                .object = &o,
                .package = package,
                .customizing = &c,
                .mapping = &m,
                .destination = c.FindDestination(m.destination),
                .settings = settings,
                .system_guid = system_guid_,
                .link_base_url = actor.link_base_url,
                .sap_client = options_.sap_client};
  CW_ASSIGN_OR_RETURN(std::string payload, builder_.Build(view));
  const bool wp = o.is_package();
  exchange::Message msg;
  msg.destination = m.destination;
  msg.kind = wp ? (create ? kKindWpCreate : kKindWpUpdate) : (create ? kKindWiCreate : kKindWiUpdate);
  msg.ordering_key = wp ? o.guid : o.parent_guid;
  msg.object_key = o.guid;
  msg.payload = std::move(payload);
  if (create) {
    msg.idempotency_key = o.guid;
    if (!wp) msg.depends_on = exchange::Dependency::OnCreateOf(o.parent_guid);
  } else {
    msg.depends_on = exchange::Dependency::OnCreateOf(o.guid);
    msg.coalesce_with_pending = true;
  }
  CW_ASSIGN_OR_RETURN(exchange::MessageId id, outbox_->Enqueue(unit, std::move(msg)));
  if (create) {
    o.create_message = id;
    o.push_destination = m.destination;
  }
  pushes.push_back({o.guid, o.ticket_id, create ? PushKind::kCreate : PushKind::kUpdate, id, m.destination});
  return core::Status::Ok();
}

// Create and HandOver decide from what they read before their write: an item is pushed at its
// create if its package was handed over, and a handover pushes the items its package has. A
// create and a handover of its package at the same moment could each miss the other, leaving
// an item that no save would push. So each one's write checks, under the package's row lock,
// that what it decided from still holds (the package's handover, the package's items), and the
// operation starts over from a fresh read when it does not. Each new start means the other one
// committed, so a few suffice; past them the caller gets ChangedMeanwhile.
// `once(moved)` sets *moved (from its staged write) when it failed because the package moved.
template <typename Once>
core::Result<SaveResult> StartOverWhileThePackageMoves(Once once) {
  constexpr int kStarts = 4;
  for (int start = 1;; ++start) {
    auto moved = std::make_shared<bool>(false);
    core::Result<SaveResult> r = once(moved);
    if (r.ok() || !*moved || start == kStarts) return r;
  }
}

core::Result<SaveResult> WorkItems::Create(const NewObject& in, std::string_view package_id, const Actor& actor) {
  return StartOverWhileThePackageMoves(
      [&](std::shared_ptr<bool> moved) { return CreateOnce(in, package_id, actor, moved); });
}

core::Result<SaveResult> WorkItems::HandOver(std::string_view id, const Actor& actor) {
  return StartOverWhileThePackageMoves([&](std::shared_ptr<bool> moved) { return HandOverOnce(id, actor, moved); });
}

core::Result<SaveResult> WorkItems::CreateOnce(const NewObject& in, std::string_view package_id, const Actor& actor,
                                               std::shared_ptr<bool> moved) {
  std::shared_ptr<const Customizing> c = customizing();
  if (!IsKnownProcessType(in.process_type)) return BadField("process_type", "must be S1IT, S1CG or S1MJ");
  WorkObject o;
  o.process_type = in.process_type;
  std::optional<WorkObject> package;
  if (IsWorkItemType(in.process_type)) {
    if (package_id.empty()) return BadField("package", "a work item belongs to a work package");
    CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(WorkObject p, FindObject(tx, package_id));
      package = std::move(p);
      return core::Status::Ok();
    }));
    if (!package->is_package()) return BadField("package", package->ticket_id + " is not a work package");
    o.parent_guid = package->guid;
  } else if (!package_id.empty()) {
    return BadField("package", "a work package has no parent");
  }
  o.description = in.description;
  o.project = in.project.empty() && package ? package->project : in.project;
  if (package && o.project != package->project)
    return BadField("project", "a work item belongs to its package's project " + package->project);
  ApplyPatch(in.fields, o);
  if (in.fields.project && package && *in.fields.project != package->project)
    return BadField("project", "a work item belongs to its package's project " + package->project);
  const StatusProfile* sp = c->StatusProfileOf(o.process_type);
  if (!sp) return BadCustomizing("process_types[" + o.process_type + "]", "has no status profile");
  o.status = in.status.value_or(sp->initial);
  const core::SystemTime now = clock_.Now();
  o.created_at = in.created_at.value_or(now);
  o.changed_at = in.changed_at.value_or(o.created_at);
  o.created_by = in.created_by.empty() ? actor.user : in.created_by;
  o.changed_by = in.changed_by.empty() ? o.created_by : in.changed_by;
  o.texts = in.texts;
  for (auto& t : o.texts)
    if (t.author.empty()) t.author = actor.user;
  o.guid = in.guid.empty() ? NewGuid() : core::ToUpper(in.guid);
  const bool imported = !in.ticket_id.empty();
  if (imported) {
    o.ticket_id = in.ticket_id;
  } else {
    CW_ASSIGN_OR_RETURN(o.ticket_id, NextTicketId());
  }
  o.version = 1;
  CW_RETURN_IF_ERROR(ValidateObject(o));
  CW_RETURN_IF_ERROR(CheckReferences(*c, o));
  std::vector<std::pair<Document, std::string>> documents;  // with base64 content
  for (const auto& nd : in.documents) {
    CW_ASSIGN_OR_RETURN(Document d, PrepareDocument(nd, actor.user, now, o.documents, options_.max_document_bytes));
    o.documents.push_back(d);
    documents.emplace_back(std::move(d), core::Base64Encode(nd.content));
  }

  SaveResult result;
  bool push = false;
  if (package && package->handed_over) {
    const std::string why = PushBlocker(*c, o, &*package);
    push = why.empty();
    if (!push) result.not_pushed.push_back(o.ticket_id + ": " + why);
  }
  if (push) o.handed_over = true;
  const StatusChange created{0, o.created_at, "", o.status, o.created_by, "create", ""};
  std::optional<std::pair<std::string, bool>> package_read;  // guid, handed over
  if (package) package_read.emplace(package->guid, package->handed_over);
  CW_RETURN_IF_ERROR(store::Transact(db_, [&](store::UnitOfWork& unit) -> core::Status {
    if (push) CW_RETURN_IF_ERROR(StagePush(*c, o, &*package, actor, unit, result.pushes));
    unit.Add([o, imported, created, documents, package_read, moved](store::Tx& tx) -> core::Status {
      if (package_read) {
        CW_ASSIGN_OR_RETURN(std::optional<bool> handed_over, repo::LockHandedOver(tx, package_read->first));
        *moved = handed_over != package_read->second;
        if (*moved) return ChangedMeanwhile(o.ticket_id);
      }
      if (imported) CW_RETURN_IF_ERROR(repo::NoteNumberUsed(tx, kTicketRange, std::stoll(o.ticket_id)));
      CW_RETURN_IF_ERROR(repo::Insert(tx, o));
      for (const auto& [d, content] : documents) CW_RETURN_IF_ERROR(repo::InsertDocument(tx, o.guid, d, content));
      return repo::AppendHistory(tx, o.guid, created);
    });
    return core::Status::Ok();
  }));
  if (imported) {
    std::lock_guard lock(numbers_mu_);
    next_number_ = end_number_;  // the next draw reserves past the imported number
  }
  result.object = std::move(o);
  return result;
}

core::Result<SaveResult> WorkItems::SaveOne(Loaded l, const Actor& actor, std::optional<StatusChange> status_change,
                                            std::function<core::Status(store::Tx&)> extra_write) {
  const Customizing& c = *l.customizing;
  WorkObject& o = l.object;
  o.changed_at = clock_.Now();
  o.changed_by = actor.user;
  o.version = l.version + 1;
  CW_RETURN_IF_ERROR(ValidateObject(o));
  CW_RETURN_IF_ERROR(CheckReferences(c, o));
  SaveResult result;
  const WorkObject* package = l.package ? &*l.package : nullptr;
  bool push = false;
  // A work item follows its package: once the package was handed over, every save of the item
  // pushes, also of one that missed its push so far (created without the trigger partner).
  if (o.handed_over || (package && package->handed_over)) {
    std::string why = PushBlocker(c, o, package);
    push = why.empty();
    if (!push) result.not_pushed.push_back(o.ticket_id + ": " + why);
  }
  if (push) o.handed_over = true;
  if (status_change) status_change->at = o.changed_at;
  CW_RETURN_IF_ERROR(store::Transact(db_, [&](store::UnitOfWork& unit) -> core::Status {
    if (push) CW_RETURN_IF_ERROR(StagePush(c, o, package, actor, unit, result.pushes));
    unit.Add([o, expected = l.version, status_change, extra_write](store::Tx& tx) -> core::Status {
      if (extra_write) CW_RETURN_IF_ERROR(extra_write(tx));
      CW_RETURN_IF_ERROR(repo::Update(tx, o, expected));
      if (status_change) CW_RETURN_IF_ERROR(repo::AppendHistory(tx, o.guid, *status_change));
      return core::Status::Ok();
    });
    return core::Status::Ok();
  }));
  result.object = std::move(o);
  return result;
}

core::Result<SaveResult> WorkItems::Change(std::string_view id, const ObjectPatch& patch, const Actor& actor) {
  CW_ASSIGN_OR_RETURN(Loaded l, Load(id));
  if (patch.project && *patch.project != l.object.project)
    return BadField("project", "the cPro project of a ticket cannot be changed");
  ApplyPatch(patch, l.object);
  return SaveOne(std::move(l), actor, std::nullopt);
}

core::Result<SaveResult> WorkItems::AddText(std::string_view id, TextEntry text, const Actor& actor) {
  CW_ASSIGN_OR_RETURN(Loaded l, Load(id));
  if (text.text_id.empty()) return BadField("text_id", "must not be empty");
  if (text.author.empty()) text.author = actor.user;
  text.changed_at = clock_.Now();
  l.object.texts.push_back(std::move(text));
  return SaveOne(std::move(l), actor, std::nullopt);
}

core::Result<SaveResult> WorkItems::SetStatus(std::string_view id, std::string_view status, const Actor& actor) {
  CW_ASSIGN_OR_RETURN(Loaded l, Load(id));
  const StatusProfile* sp = l.customizing->StatusProfileOf(l.object.process_type);
  if (!sp) return BadCustomizing("process_types[" + l.object.process_type + "]", "has no status profile");
  const std::string to(status);
  if (!sp->Find(to)) return BadField("status", to + " is not a status of profile " + sp->name);
  if (!sp->Allows(l.object.status, to))
    return TransitionRefused(StatusLabel(sp, l.object.status), StatusLabel(sp, to), l.object.ticket_id);
  std::optional<StatusChange> change;
  if (to != l.object.status) change = StatusChange{0, {}, l.object.status, to, actor.user, "control", ""};
  l.object.status = to;
  return SaveOne(std::move(l), actor, change);
}

core::Result<SaveResult> WorkItems::AddDocument(std::string_view id, NewDocument in, const Actor& actor) {
  CW_ASSIGN_OR_RETURN(Loaded l, Load(id));
  CW_ASSIGN_OR_RETURN(Document d, PrepareDocument(in, actor.user, clock_.Now(), l.object.documents,
                                                  options_.max_document_bytes));
  l.object.documents.push_back(d);
  std::string guid = l.object.guid;
  auto insert = [guid, d, content = core::Base64Encode(in.content)](store::Tx& tx) {
    return repo::InsertDocument(tx, guid, d, content);
  };
  return SaveOne(std::move(l), actor, std::nullopt, insert);
}

core::Result<SaveResult> WorkItems::RemoveDocument(std::string_view id, std::string_view doc_id, const Actor& actor) {
  CW_ASSIGN_OR_RETURN(Loaded l, Load(id));
  const std::string doc = core::ToUpper(doc_id);
  auto& docs = l.object.documents;
  auto it = std::find_if(docs.begin(), docs.end(), [&](const Document& d) { return d.id == doc; });
  if (it == docs.end()) return DocumentNotFound(std::string(doc_id));
  docs.erase(it);
  return SaveOne(std::move(l), actor, std::nullopt, [doc](store::Tx& tx) { return repo::DeleteDocument(tx, doc); });
}

core::Result<SaveResult> WorkItems::HandOverOnce(std::string_view id, const Actor& actor, std::shared_ptr<bool> moved) {
  CW_ASSIGN_OR_RETURN(Loaded l, Load(id));
  const Customizing& c = *l.customizing;
  WorkObject& o = l.object;
  const WorkObject* package = l.package ? &*l.package : nullptr;
  if (std::string why = PushBlocker(c, o, package); !why.empty()) return NotPushable(o.ticket_id, why);
  std::vector<WorkObject> items;
  if (o.is_package()) {
    CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(items, repo::Items(tx, o.guid));
      return core::Status::Ok();
    }));
  }
  // The action changes no field of the object: CHANGED_AT/CHANGED_BY stay those of its last
  // change (the appendix's payload shows the package's, not the handover's).
  auto touch = [](WorkObject& x) { x.handed_over = true; };
  SaveResult result;
  CW_RETURN_IF_ERROR(store::Transact(db_, [&](store::UnitOfWork& unit) -> core::Status {
    touch(o);
    CW_RETURN_IF_ERROR(StagePush(c, o, package, actor, unit, result.pushes));
    const int64_t expected = o.version;
    o.version = expected + 1;
    unit.Add([o, expected](store::Tx& tx) { return repo::UpdatePushState(tx, o, expected); });
    if (o.is_package()) {
      std::vector<std::string> read;
      for (const WorkObject& item : items) read.push_back(item.guid);
      unit.Add([o, read = std::move(read), moved](store::Tx& tx) -> core::Status {
        // After the package's update: under its row lock, no item can come in unseen.
        CW_ASSIGN_OR_RETURN(std::vector<std::string> now, repo::ItemGuids(tx, o.guid));
        *moved = now != read;
        if (*moved) return ChangedMeanwhile(o.ticket_id);
        return core::Status::Ok();
      });
    }
    for (WorkObject& item : items) {
      if (std::string why = PushBlocker(c, item, &o); !why.empty()) {
        result.not_pushed.push_back(item.ticket_id + ": " + why);
        continue;
      }
      touch(item);
      CW_RETURN_IF_ERROR(StagePush(c, item, &o, actor, unit, result.pushes));
      const int64_t item_expected = item.version;
      item.version = item_expected + 1;
      unit.Add([item, item_expected](store::Tx& tx) { return repo::UpdatePushState(tx, item, item_expected); });
    }
    return core::Status::Ok();
  }));
  result.object = std::move(o);
  return result;
}

core::Status WorkItems::SetStatusFromExternal(std::string_view key_guid, std::string_view body_guid,
                                              std::string_view external_status, const std::string& user) {
  const std::string key = core::ToUpper(key_guid);
  if (!body_guid.empty() && core::ToUpper(body_guid) != key)
    return InboundGuidMismatch(std::string(body_guid), std::string(key_guid));
  std::shared_ptr<const Customizing> c = customizing();
  const core::SystemTime now = clock_.Now();
  return store::Transact(db_, [&](store::UnitOfWork& unit) -> core::Status {
    unit.Add([c, key, external = std::string(external_status), user, now](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(auto found, repo::FindHeader(tx, key));
      if (!found) return InboundUnknownGuid(key);
      WorkObject o = std::move(*found);
      if (o.is_package()) return InboundWorkPackage(o.ticket_id);
      const std::string internal = MapInbound(*c, o, external);
      if (internal.empty()) return StatusMappingMissing(external, o.ticket_id);
      const StatusProfile* sp = c->StatusProfileOf(o.process_type);
      if (!sp || !sp->Allows(o.status, internal))
        return InboundTransitionRefused(StatusLabel(sp, o.status), StatusLabel(sp, internal), o.ticket_id);
      if (internal == o.status && external == o.last_external_status) return core::Status::Ok();
      const StatusChange change{0, now, o.status, internal, user, "inbound", external};
      const bool status_changed = internal != o.status;
      const int64_t expected = o.version;
      o.status = internal;
      o.last_external_status = external;
      o.changed_at = now;
      o.changed_by = user;
      o.version = expected + 1;
      CW_RETURN_IF_ERROR(repo::UpdateStatus(tx, o, expected));
      if (status_changed) CW_RETURN_IF_ERROR(repo::AppendHistory(tx, o.guid, change));
      return core::Status::Ok();
    });
    return core::Status::Ok();
  });
}

core::Result<WorkObject> WorkItems::Get(std::string_view id) const {
  WorkObject out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, FindObject(tx, id));
    return core::Status::Ok();
  }));
  return out;
}

core::Result<std::vector<WorkObject>> WorkItems::ItemsOf(std::string_view package_guid) const {
  std::vector<WorkObject> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, repo::Items(tx, core::ToUpper(package_guid)));
    return core::Status::Ok();
  }));
  return out;
}

core::Result<std::vector<WorkObject>> WorkItems::List(std::string_view after_ticket, int limit,
                                                      std::string_view process_type) const {
  std::vector<WorkObject> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, repo::List(tx, after_ticket, limit, process_type));
    return core::Status::Ok();
  }));
  return out;
}

core::Result<std::vector<StatusChange>> WorkItems::History(std::string_view id) const {
  std::vector<StatusChange> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(WorkObject o, FindObject(tx, id));
    CW_ASSIGN_OR_RETURN(out, repo::History(tx, o.guid));
    return core::Status::Ok();
  }));
  return out;
}

core::Result<repo::StoredDocument> WorkItems::ReadDocument(std::string_view doc_id) const {
  std::optional<repo::StoredDocument> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, repo::ReadDocument(tx, core::ToUpper(doc_id)));
    return core::Status::Ok();
  }));
  if (!out) return DocumentNotFound(std::string(doc_id));
  return std::move(*out);
}

core::Result<std::optional<std::string>> WorkItems::CreateResult(const WorkObject& object) const {
  if (!outbox_ || object.push_destination.empty()) return std::optional<std::string>();
  return outbox_->ObjectResult(object.push_destination, object.guid);
}

}  // namespace causeway::workitems
