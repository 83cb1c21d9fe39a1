#include "domain/changes/change_desk.h"

#include <algorithm>
#include <unordered_map>

#include "core/ascii.h"
#include "core/random.h"
#include "domain/changes/change_codec.h"
#include "domain/changes/change_errors.h"
#include "domain/changes/edit_batch.h"
#include "domain/changes/master_repository.h"

namespace causeway::changes {

using store::Value;

ChangeDesk::ChangeDesk(store::Database& db, const core::Clock& clock, ChangeDeskOptions options)
    : db_(db), clock_(clock), options_(options), op_clock_(clock), numbers_(db, "record", options.number_block),
      directory_(std::make_shared<Directory>()) {}

core::Status ChangeDesk::Open() { return ReloadDirectory(); }

core::Status ChangeDesk::ReloadDirectory() {
  Directory d;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(d, master::Load(tx));
    return core::Status::Ok();
  }));
  auto fresh = std::make_shared<const Directory>(std::move(d));
  {
    std::lock_guard lock(directory_mu_);
    directory_ = fresh;
    last_refresh_ms_ = op_clock_.NowMs();
  }
  if (publisher_) publisher_->DirectoryChanged(*fresh);
  return core::Status::Ok();
}

std::shared_ptr<const Directory> ChangeDesk::directory() {
  const int64_t now = op_clock_.NowMs();
  int64_t last = last_refresh_ms_.load();
  if (now - last >= options_.refresh_interval.count() && last_refresh_ms_.compare_exchange_strong(last, now)) {
    int64_t stored = 0;
    core::Status st = db_.Read([&](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(stored, master::Version(tx));
      return core::Status::Ok();
    });
    int64_t mine = 0;
    {
      std::lock_guard lock(directory_mu_);
      mine = directory_->version;
    }
    // A failed reload keeps the snapshot in use; the next interval tries again.
    if (st.ok() && stored != mine) (void)ReloadDirectory();
  }
  std::lock_guard lock(directory_mu_);
  return directory_;
}

core::Status ChangeDesk::PutMaster(std::function<core::Status(store::Tx&)> write) {
  CW_RETURN_IF_ERROR(db_.Write(std::move(write)));
  return ReloadDirectory();
}

core::Status ChangeDesk::PutTenant(std::string_view id, std::string_view name) {
  CW_RETURN_IF_ERROR(ValidateId(id, "id"));
  const std::string doc = EncodeTenantName(name);
  return PutMaster([id = std::string(id), doc](store::Tx& tx) { return master::Put(tx, id, master::Kind::kTenant, id, doc); });
}

core::Status ChangeDesk::DeleteTenant(std::string_view id) {
  return PutMaster([id = std::string(id)](store::Tx& tx) { return master::Delete(tx, id, master::Kind::kTenant, id); });
}

core::Status ChangeDesk::PutPerson(std::string_view tenant, const Person& p) {
  CW_RETURN_IF_ERROR(ValidatePerson(p));
  auto dir = directory();
  const Tenant* t = dir->FindTenant(tenant);
  if (!t) return errors::UnknownTenant(tenant);
  // A login names one person: systems name their authorized user by login, and a second holder
  // could not log on but would inherit the first one's systems once it was renamed.
  if (const Person* holder = t->FindPersonByLogin(p.login, p.id)) return errors::LoginTaken(p.login, holder->id);
  const std::string doc = EncodePerson(p);
  core::Status st = PutMaster([tn = std::string(tenant), p, doc](store::Tx& tx) -> core::Status {
    // A system acts as its authorized user, found by login: a renamed login takes the systems
    // that named the old one along (else they would lose their user, or get whoever takes the
    // old login next). Read in the transaction, after the master-data lock: a snapshot may miss
    // a system another node added, and a concurrent write may be adding one now.
    CW_RETURN_IF_ERROR(master::Serialize(tx));
    CW_ASSIGN_OR_RETURN(Directory current, master::Load(tx));
    const Tenant* stored = current.FindTenant(tn);
    const Person* old = stored ? stored->FindPerson(p.id) : nullptr;
    if (old && !old->login.empty() && !core::IEquals(old->login, p.login)) {
      const std::vector<const ExternalSystem*> systems = stored->SystemsAuthorizing(old->login);
      if (!systems.empty() && p.login.empty()) {
        std::vector<std::string> ids;
        for (const ExternalSystem* sys : systems) ids.push_back(sys->id);
        return errors::LoginAuthorizesSystems(old->login, ids);
      }
      for (const ExternalSystem* sys : systems) {
        ExternalSystem moved = *sys;
        moved.authorized_user = p.login;
        CW_RETURN_IF_ERROR(master::Put(tx, tn, master::Kind::kSystem, moved.id, EncodeSystem(moved)));
      }
    }
    return master::Put(tx, tn, master::Kind::kPerson, p.id, doc);
  });
  // The snapshot may be older than another node's write: the store's unique index on
  // (tenant, login) (migration 0702) is the only constraint this upsert can violate.
  if (!st.ok() && st.error().code == core::Code::kConflict && st.error().message_class.starts_with("CAUSEWAY/STORE"))
    return errors::LoginTaken(p.login, "");
  return st;
}

core::Status ChangeDesk::PutPeople(std::string_view tenant, std::vector<Person> people) {
  while (!people.empty()) {
    std::vector<Person> held;
    std::optional<core::Error> first;
    for (Person& p : people) {
      core::Status st = PutPerson(tenant, p);
      if (st.ok()) continue;
      if (st.error().code != core::Code::kConflict) return st;
      if (!first) first = st.error();
      held.push_back(std::move(p));
    }
    if (held.size() == people.size()) return *first;
    people = std::move(held);
  }
  return core::Status::Ok();
}

core::Status ChangeDesk::PutGroup(std::string_view tenant, const Group& g) {
  auto dir = directory();
  const Tenant* t = dir->FindTenant(tenant);
  if (!t) return errors::UnknownTenant(tenant);
  CW_RETURN_IF_ERROR(ValidateGroup(g, t));
  const std::string doc = EncodeGroup(g);
  return PutMaster([tn = std::string(tenant), id = g.id, doc](store::Tx& tx) {
    return master::Put(tx, tn, master::Kind::kGroup, id, doc);
  });
}

core::Status ChangeDesk::PutSystem(std::string_view tenant, const ExternalSystem& s) {
  CW_RETURN_IF_ERROR(ValidateSystem(s));
  if (!directory()->FindTenant(tenant)) return errors::UnknownTenant(tenant);
  const std::string doc = EncodeSystem(s);
  return PutMaster([t = std::string(tenant), s, doc](store::Tx& tx) -> core::Status {
    // A system acts as a person of its tenant: one whose authorized user no one is could not
    // log on, and would become whoever takes that login later.
    CW_RETURN_IF_ERROR(master::Serialize(tx));
    CW_ASSIGN_OR_RETURN(Directory current, master::Load(tx));
    const Tenant* tn = current.FindTenant(t);
    if (!tn || !tn->FindPersonByLogin(s.authorized_user))
      return errors::MasterData("authorized_user", "No person of tenant " + t + " has the login '" + s.authorized_user +
                                                       "'; a system acts as a person of its tenant");
    return master::Put(tx, t, master::Kind::kSystem, s.id, doc);
  });
}

core::Status ChangeDesk::PutWorkflow(const Workflow& w) {
  CW_RETURN_IF_ERROR(ValidateWorkflow(w));
  const std::string doc = EncodeWorkflow(w);
  return PutMaster([type = w.change_type, doc](store::Tx& tx) {
    return master::Put(tx, "", master::Kind::kWorkflow, type, doc);
  });
}

core::Result<std::shared_ptr<const ChangeState>> ChangeDesk::Find(std::string_view tenant, std::string_view id) {
  auto state = std::make_shared<ChangeState>();
  bool found = false;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(auto c, repo::FindChange(tx, tenant, id));
    if (!c) return core::Status::Ok();
    found = true;
    state->change = std::move(*c);
    CW_ASSIGN_OR_RETURN(state->comments, repo::Comments(tx, tenant, id));
    CW_ASSIGN_OR_RETURN(state->references, repo::RefsOfChange(tx, tenant, id));
    return core::Status::Ok();
  }));
  if (!found) return errors::ChangeNotFound(id);
  return std::shared_ptr<const ChangeState>(std::move(state));
}

core::Result<std::vector<std::shared_ptr<const ChangeState>>> ChangeDesk::List(
    std::string_view tenant, const std::function<bool(const Change&)>& match, int64_t skip, int64_t size,
    int64_t* total) {
  std::vector<std::shared_ptr<const ChangeState>> out;
  int64_t count = 0;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) {
    return repo::ScanChanges(tx, tenant, [&](const Change& c) {
      if (!match(c)) return true;
      if (count >= skip && static_cast<int64_t>(out.size()) < size) {
        auto s = std::make_shared<ChangeState>();
        s->change = c;
        out.push_back(std::move(s));
      }
      ++count;
      return true;
    });
  }));
  if (total) *total = count;
  return out;
}

core::Result<std::vector<Comment>> ChangeDesk::Comments(std::string_view tenant, std::string_view change_id) {
  std::vector<Comment> out;
  bool found = false;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(auto c, repo::FindChange(tx, tenant, change_id));
    found = c.has_value();
    if (found) {
      CW_ASSIGN_OR_RETURN(out, repo::Comments(tx, tenant, change_id));
    }
    return core::Status::Ok();
  }));
  if (!found) return errors::ChangeNotFound(change_id);
  return out;
}

core::Result<std::vector<ExternalReference>> ChangeDesk::References(std::string_view tenant, std::string_view change_id,
                                                                    std::string_view system_id,
                                                                    std::string_view external_id) {
  std::vector<ExternalReference> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, repo::ListRefs(tx, tenant, change_id, system_id, external_id));
    return core::Status::Ok();
  }));
  return out;
}

core::Result<OperationLog> ChangeDesk::Operations(std::string_view tenant, std::string_view change_id) {
  OperationLog log;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(log, oplog::ForChange(tx, tenant, change_id));
    return core::Status::Ok();
  }));
  return log;
}

core::Result<PollPage> ChangeDesk::Poll(std::string_view tenant, std::string_view system, int64_t since_ms,
                                        int64_t skip, int64_t size) {
  PollPage page;
  // Taken before the read starts: see operation_clock.h.
  page.read_moment_ms = op_clock_.SafeMoment();
  const Value t{std::string(tenant)}, s{std::string(system)}, since{since_ms}, limit{size}, offset{skip};
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_RETURN_IF_ERROR(tx.Query(repo::sql::kPollCount, {t, s, since}, [&](const store::Row& r) { page.total = r.Int(0); }));
    std::unordered_map<std::string_view, std::shared_ptr<ChangeState>> states;  // keys: the states' ids
    states.reserve(static_cast<size_t>(std::max<int64_t>(0, std::min<int64_t>(size, page.total))));
    core::Status damaged;
    bool any_comments = false;
    CW_RETURN_IF_ERROR(tx.Query(repo::sql::kPollPage, {t, s, since, limit, offset}, [&](const store::Row& r) {
      PolledOperation p;
      p.operation = {std::string(tenant), r.String(0), r.Int(1), std::string(system), r.String(2), r.Int(3),
                     r.String(4), r.Int(5) != 0};
      auto found = states.find(p.operation.change_id);
      if (found == states.end()) {
        auto c = DecodeChange(r.Text(6));
        if (!c.ok()) {
          damaged = c.error();
          return;
        }
        auto state = std::make_shared<ChangeState>();
        state->change = std::move(*c);
        any_comments = any_comments || state->change.comment_count > 0;
        found = states.emplace(state->change.id, std::move(state)).first;
      }
      p.state = found->second;
      page.operations.push_back(std::move(p));
    }));
    CW_RETURN_IF_ERROR(damaged);
    if (page.operations.empty()) return core::Status::Ok();
    // A record that never had a comment has none (comment_count counts every one added): a page
    // of such records needs no look at the comments.
    if (any_comments)
      CW_RETURN_IF_ERROR(tx.Query(repo::sql::kPollComments, {t, t, s, since, limit, offset}, [&](const store::Row& r) {
        auto it = states.find(r.Text(0));
        if (it == states.end()) return;
        it->second->comments.push_back(
            {r.String(1), r.String(2), r.String(3), r.Int(4) != 0, r.Int(5), r.String(6), r.Int(7)});
      }));
    CW_RETURN_IF_ERROR(tx.Query(repo::sql::kPollRefs, {t, s, t, s, since, limit, offset}, [&](const store::Row& r) {
      auto it = states.find(r.Text(1));
      if (it == states.end()) return;
      it->second->references.push_back({r.String(0), r.String(1), r.String(2), r.String(3), r.String(4), r.String(5)});
    }));
    return core::Status::Ok();
  }));
  return page;
}

core::Result<std::vector<EntityOutcome>> ChangeDesk::Run(const Caller& caller, std::vector<internal::Edit> edits) {
  std::shared_ptr<const Directory> dir = directory();
  const Tenant* tenant = dir->FindTenant(caller.tenant);
  if (!tenant) return errors::UnknownTenant(caller.tenant);
  std::vector<EntityOutcome> outcomes;
  internal::EditContext ctx{db_, clock_, numbers_, locks_, op_clock_, publisher_, options_.lock_timeout};
  CW_RETURN_IF_ERROR(store::Transact(db_, [&](store::UnitOfWork& unit) -> core::Status {
    outcomes.assign(edits.size(), EntityOutcome{});
    internal::EditBatch batch(ctx, unit, *dir, *tenant, caller);
    return batch.Run(edits, outcomes);
  }));
  return outcomes;
}

core::Result<std::vector<EntityOutcome>> ChangeDesk::Create(const Caller& caller, std::vector<ChangeInput> inputs) {
  std::vector<internal::Edit> edits;
  for (auto& in : inputs) edits.push_back({internal::Edit::Kind::kCreate, {}, std::move(in), {}, {}});
  return Run(caller, std::move(edits));
}

core::Result<std::vector<EntityOutcome>> ChangeDesk::Update(const Caller& caller,
                                                            std::vector<std::pair<std::string, ChangeInput>> inputs) {
  std::vector<internal::Edit> edits;
  for (auto& [id, in] : inputs) edits.push_back({internal::Edit::Kind::kUpdate, id, std::move(in), {}, {}});
  return Run(caller, std::move(edits));
}

core::Result<std::vector<EntityOutcome>> ChangeDesk::ApplyIncoming(const Caller& caller,
                                                                   std::vector<IncomingOperation> ops) {
  std::vector<internal::Edit> edits;
  for (auto& op : ops) {
    internal::Edit e{internal::Edit::Kind::kIncoming, {}, std::move(op.input), std::move(op.entity_type), std::move(op.ext)};
    for (const auto& [name, value] : e.input.properties)
      if (name == "Id" && !IsNull(value)) e.id = PropertyText(value);
    edits.push_back(std::move(e));
  }
  return Run(caller, std::move(edits));
}

core::Result<EntityOutcome> ChangeDesk::AddComment(const Caller& caller, std::string_view change_id,
                                                   CommentInput comment) {
  std::vector<internal::Edit> edits(1);
  edits[0].kind = internal::Edit::Kind::kComment;
  edits[0].id = std::string(change_id);
  edits[0].input.comments.push_back(std::move(comment));
  CW_ASSIGN_OR_RETURN(auto outcomes, Run(caller, std::move(edits)));
  return std::move(outcomes[0]);
}

core::Result<FileInfo> ChangeDesk::StoreFile(const Caller& caller, std::string_view name, std::string_view content_type,
                                             std::string content) {
  FileInfo f;
  f.guid = core::ToLower(core::RandomHexUpper(16));
  f.name = std::string(name);
  f.content_type = std::string(content_type);
  f.creator = caller.person_id;
  f.length = static_cast<int64_t>(content.size());
  f.created_ms = op_clock_.NowMs();
  auto shared = std::make_shared<const std::string>(std::move(content));
  CW_RETURN_IF_ERROR(store::Transact(db_, [&](store::UnitOfWork& unit) {
    unit.Add([t = caller.tenant, f, shared](store::Tx& tx) { return repo::InsertFile(tx, t, f, *shared); });
    return core::Status::Ok();
  }));
  return f;
}

core::Result<std::optional<std::pair<FileInfo, std::string>>> ChangeDesk::LoadFile(std::string_view tenant,
                                                                                    std::string_view guid) {
  std::optional<std::pair<FileInfo, std::string>> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    std::string content;
    CW_ASSIGN_OR_RETURN(auto f, repo::FindFile(tx, tenant, guid, &content));
    if (f) out.emplace(std::move(*f), std::move(content));
    return core::Status::Ok();
  }));
  return out;
}

}  // namespace causeway::changes
