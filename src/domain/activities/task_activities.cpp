#include "domain/activities/task_activities.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include "core/ascii.h"
#include "core/time_format.h"
#include "domain/activities/activity_messages.h"
#include "domain/activities/task_repository.h"

namespace causeway::activities {
namespace {

// Type code of a campaign reference: campaigns are always linked as predecessors.
constexpr std::string_view kCampaignTypeCode = "764";
constexpr std::string_view kPredecessor = "1";

namespace a2x = soap::a2x;

std::string Collapse(std::string_view s) { return std::string(core::Trim(s)); }
std::string Trimmed(const std::optional<std::string>& s) { return s ? Collapse(*s) : std::string(); }

// Sets `field` when the leaf was transmitted (optional leaves not sent stay as they are).
void Set(std::string& field, const std::optional<std::string>& v) {
  if (v) field = Collapse(*v);
}

// A text's type; a text without one is the body.
std::string TextType(const TextChange& ch) {
  std::string type = Trimmed(ch.type_code);
  return type.empty() ? std::string(kTextBody) : type;
}

// Which text of a task a text is: the body is unique; comments are told apart by their
// creation time.
std::string TextKey(std::string_view type, std::string_view created_at) {
  return type == kTextBody ? std::string(type) : std::string(type) + "/" + std::string(created_at);
}

// A comment sent without CreationDateTime is stamped now, to the 100 ns (GLOBAL_DateTime's
// precision), and a tick later while that stamp is taken by a text of the task or by another
// comment of this request: the stamp is the comment's key, so two such comments stay two that
// later requests can address one by one.
std::string FreeCommentStamp(const std::vector<TaskText>& texts, const std::set<std::string>& taken,
                             core::SystemTime now) {
  using Ticks = std::chrono::duration<int64_t, std::ratio<1, 10'000'000>>;
  auto tick = std::chrono::time_point_cast<Ticks>(now);
  while (true) {
    const auto second = std::chrono::floor<std::chrono::seconds>(tick);
    std::string stamp = core::FormatIso8601(second);
    char fraction[9];
    std::snprintf(fraction, sizeof fraction, ".%07lld", static_cast<long long>((tick - second).count()));
    stamp.insert(stamp.size() - 1, fraction);  // before the 'Z'
    const bool used = taken.count(stamp) > 0 || std::any_of(texts.begin(), texts.end(), [&](const TaskText& x) {
                        return x.type_code == kTextComment && x.created_at == stamp;
                      });
    if (!used) return stamp;
    tick += Ticks(1);
  }
}

bool IsHundredPercent(std::string_view percent) {
  percent = core::Trim(percent);
  double v = 0;
  auto [p, ec] = std::from_chars(percent.data(), percent.data() + percent.size(), v);
  return ec == std::errc() && p == percent.data() + percent.size() && v == 100.0;
}

std::optional<int64_t> ParseId(std::string_view s) {
  s = core::Trim(s);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

// The partner look-ups of one bundle run, remembered: a bundle names the same few partners in
// task after task (two look-ups per task were a tenth of the writer thread's time), and master
// data does not change inside the bundle's transaction. One per run of the transaction.
class PartnerLookup {
 public:
  explicit PartnerLookup(store::Tx& tx) : tx_(tx) {}

  core::Result<std::optional<Partner>> ById(std::string_view id) {
    return Remembered(by_id_, id, [&] { return partners::Find(tx_, id); });
  }
  core::Result<std::optional<Partner>> ByEmployeeId(std::string_view employee_id) {
    return Remembered(by_employee_, employee_id, [&] { return partners::FindByEmployeeId(tx_, employee_id); });
  }
  core::Result<std::vector<Partner>> ByEmail(std::string_view email) {
    return Remembered(by_email_, email, [&] { return partners::FindByEmail(tx_, email); });
  }

 private:
  template <typename T, typename Load>
  core::Result<T> Remembered(std::map<std::string, T, std::less<>>& memo, std::string_view key, Load load) {
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    CW_ASSIGN_OR_RETURN(T found, load());  // a failed look-up is not remembered
    memo.emplace(std::string(key), found);
    return found;
  }

  store::Tx& tx_;
  std::map<std::string, std::optional<Partner>, std::less<>> by_id_, by_employee_;
  std::map<std::string, std::vector<Partner>, std::less<>> by_email_;
};

// The tasks one run of a bundle sees: the store's, and what earlier tasks of the same bundle did
// to them, so that [01 create X, 02 update X] checks as it maintains. A maintain writes through
// (its transaction sees its own writes); a check writes nothing and keeps its changes here. On
// PostgreSQL a maintain locks each row it reads (FOR UPDATE), so that the ChangeStateID check
// and the write that follows it are one step: two bundles changing the same task wait for each
// other instead of both passing the check (a lost update).
class BundleTasks {
 public:
  BundleTasks(store::Tx& tx, bool check, bool lock) : tx_(tx), check_(check), lock_(lock && !check) {}

  core::Result<std::optional<Task>> ByUuid(std::string_view uuid) {
    const std::string key = core::ToLower(Collapse(uuid));
    if (auto it = overlay_.find(key); it != overlay_.end()) return it->second;
    return tasks::FindByUuid(tx_, key, lock_);
  }
  core::Result<std::optional<Task>> ById(int64_t id) {
    CW_ASSIGN_OR_RETURN(auto found, tasks::FindById(tx_, id, lock_));
    if (found)
      if (auto it = overlay_.find(core::ToLower(found->uuid)); it != overlay_.end()) return it->second;
    return found;
  }
  core::Status Insert(const Task& t) { return check_ ? Remember(t) : tasks::Insert(tx_, t); }
  core::Status Update(const Task& t) { return check_ ? Remember(t) : tasks::Update(tx_, t); }
  core::Status Delete(const Task& t) {
    if (!check_) return tasks::Delete(tx_, t.id);
    overlay_[core::ToLower(t.uuid)] = std::nullopt;
    return core::Status::Ok();
  }

 private:
  core::Status Remember(const Task& t) {
    overlay_[core::ToLower(t.uuid)] = t;
    return core::Status::Ok();
  }

  store::Tx& tx_;
  const bool check_, lock_;
  std::map<std::string, std::optional<Task>, std::less<>> overlay_;  // by uuid; nullopt: deleted
};

// Processing of one TaskChange inside one transaction. Business errors go to `log`; store
// errors are returned (and roll the task back).
class TaskProcessor {
 public:
  TaskProcessor(BundleTasks& tasks, PartnerLookup& partners, tasks::NumberRange& numbers, const TaskChange& change,
                const std::string& user, core::SystemTime now, bool check, std::vector<LogItem>& log)
      : tasks_(tasks), partners_(partners), numbers_(numbers), c_(change), user_(user), now_(now), check_(check),
        log_(log) {}

  // Sets *confirmation for a task that committed (or would commit).
  core::Status Run(std::optional<Confirmation>* confirmation);
  // Whether the task used numbers_.Next() (it is drawn once the task's savepoint is released).
  bool drew() const { return drew_; }

 private:
  // An error about the task, or about one of its nodes (`sender`: the node's own sender
  // technical ID; the task's when the node's is initial).
  void Error(const char* number, std::initializer_list<std::string> vars, std::string_view sender = {}) {
    log_.push_back(ErrorItem(number, a2x::ReferenceSenderId(sender, c_.sender_id), vars));
    failed_ = true;
  }
  std::string Label() const { return c_.uuid ? Collapse(*c_.uuid) : c_.id ? Collapse(*c_.id) : std::string(); }
  core::Result<std::optional<PartyRef>> ResolveParty(const PartyInput& in, const char* role, bool employee_only);
  core::Status ApplyRoot(Task& t);
  core::Status ApplyParties(Task& t);
  void ApplyReferences(Task& t);
  void ApplyTexts(Task& t);
  void ApplyAttachments(Task& t);

  BundleTasks& tasks_;
  PartnerLookup& partners_;
  tasks::NumberRange& numbers_;
  const TaskChange& c_;
  const std::string& user_;
  core::SystemTime now_;
  bool check_;
  std::vector<LogItem>& log_;
  bool failed_ = false;
  bool drew_ = false;
};

core::Result<std::optional<PartyRef>> TaskProcessor::ResolveParty(const PartyInput& in, const char* role,
                                                                  bool employee_only) {
  PartyRef p;
  p.main = in.main;
  p.name = in.name;
  if (!in.business_partner_id.empty()) {
    CW_ASSIGN_OR_RETURN(auto found, partners_.ById(in.business_partner_id));
    if (!found) {
      Error("004", {in.business_partner_id}, in.sender_id);
      return std::optional<PartyRef>();
    }
    if (employee_only && found->kind != PartnerKind::kEmployee) {
      Error("006", {in.business_partner_id, role}, in.sender_id);
      return std::optional<PartyRef>();
    }
    p.business_partner_id = found->id;
    p.employee_id = found->employee_id;
    if (p.name.empty()) p.name = found->name;
    return std::optional<PartyRef>(p);
  }
  if (!in.employee_id.empty()) {
    CW_ASSIGN_OR_RETURN(auto found, partners_.ByEmployeeId(in.employee_id));
    if (!found) {
      Error("005", {in.employee_id}, in.sender_id);
      return std::optional<PartyRef>();
    }
    p.business_partner_id = found->id;
    p.employee_id = found->employee_id;
    if (p.name.empty()) p.name = found->name;
    return std::optional<PartyRef>(p);
  }
  if (!in.email.empty()) {
    // A unique e-mail address identifies the partner; otherwise the party has no ID and keeps
    // the address (SAP's rule for EmailURI).
    CW_ASSIGN_OR_RETURN(auto found, partners_.ByEmail(in.email));
    p.email = in.email;
    // A party without ID is no employee: the roles that need one take only an address that
    // names an employee.
    if (employee_only && found.size() == 1 && found[0].kind != PartnerKind::kEmployee) {
      Error("006", {found[0].id, role}, in.sender_id);
      return std::optional<PartyRef>();
    }
    if (employee_only && found.size() != 1) {
      Error("020", {in.email, role}, in.sender_id);
      return std::optional<PartyRef>();
    }
    if (found.size() == 1) {
      p.business_partner_id = found[0].id;
      p.employee_id = found[0].employee_id;
      if (p.name.empty()) p.name = found[0].name;
    }
    return std::optional<PartyRef>(p);
  }
  return std::optional<PartyRef>();  // an empty party element: the party is removed
}

core::Status TaskProcessor::ApplyRoot(Task& t) {
  auto set = [](std::string& field, const std::optional<std::string>& v) {
    if (v) field = Collapse(*v);
  };
  set(t.document_type_code, c_.document_type_code);
  if (c_.name) t.name = *c_.name;
  set(t.priority_code, c_.priority_code);
  set(t.sensitivity_code, c_.sensitivity_code);
  set(t.group_code, c_.group_code);
  set(t.data_origin_code, c_.data_origin_code);
  set(t.completion_percent, c_.completion_percent);
  // The percentage corresponds with the status (seed): completing makes it 100, and 100 per cent
  // of an open or running task completes it.
  std::optional<std::string> to;
  if (c_.life_cycle_status)
    to = Collapse(*c_.life_cycle_status);
  else if (c_.completion_percent && IsHundredPercent(t.completion_percent) &&
           (t.life_cycle_status == kStatusOpen || t.life_cycle_status == kStatusInProcess))
    to = std::string(kStatusCompleted);
  if (to) {
    if (!StatusTransitionAllowed(t.life_cycle_status, *to))
      Error("007", {t.life_cycle_status, *to});
    else
      t.life_cycle_status = *to;
    if (*to == kStatusCompleted) t.completion_percent = "100";
  }
  if (c_.period) {
    const PeriodInput& p = *c_.period;
    if (!p.start || !p.end) {
      Error("008", {});
    } else {
      auto start = core::ParseIso8601(Collapse(*p.start));
      auto end = core::ParseIso8601(Collapse(*p.end));
      if (start && end && *end < *start) Error("009", {Collapse(*p.end), Collapse(*p.start)});
      t.period = ScheduledPeriod{Collapse(*p.start), Collapse(p.start_time_zone.value_or("")), Collapse(*p.end),
                                 Collapse(p.end_time_zone.value_or(""))};
    }
  }
  return core::Status::Ok();
}

core::Status TaskProcessor::ApplyParties(Task& t) {
  auto one = [&](const std::optional<PartyInput>& in, std::optional<PartyRef>& slot, const char* role,
                 bool employee_only) -> core::Status {
    if (!in) return core::Status::Ok();
    CW_ASSIGN_OR_RETURN(auto p, ResolveParty(*in, role, employee_only));
    slot = std::move(p);
    return core::Status::Ok();
  };
  CW_RETURN_IF_ERROR(one(c_.processor, t.processor, "processor", true));
  CW_RETURN_IF_ERROR(one(c_.responsible, t.responsible, "employee responsible", true));
  CW_RETURN_IF_ERROR(one(c_.main_activity, t.main_activity, "main activity party", false));
  if (c_.activity_unit) t.activity_unit = *c_.activity_unit;
  const auto& refs = c_.reference_parties;
  if (refs.complete) t.reference_parties.clear();
  for (const PartyInput& in : refs.items) {
    CW_ASSIGN_OR_RETURN(auto p, ResolveParty(in, "reference party", false));
    if (p) t.reference_parties.push_back(std::move(*p));
  }
  return core::Status::Ok();
}

// A document reference is identified by its UUID when both sides have one, else by (ID, TypeCode).
struct ReferenceKey {
  std::string uuid, id, type_code;
  bool operator==(const ReferenceKey& o) const {
    if (!uuid.empty() && !o.uuid.empty()) return core::IEquals(uuid, o.uuid);
    return id == o.id && type_code == o.type_code;
  }
};

void TaskProcessor::ApplyReferences(Task& t) {
  const std::string task_label = std::to_string(t.id);
  auto label = [](const ReferenceChange& ch) {
    std::string id = Trimmed(ch.id);
    return id.empty() ? Trimmed(ch.uuid) : id;
  };
  auto error = [&](const ReferenceChange& ch, a2x::ListError e) {
    Error(e == a2x::ListError::kExists ? "014" : "013", {label(ch), task_label}, ch.sender_id);
  };
  a2x::ApplyListChange(
      t.references, c_.references,
      a2x::ListRules<DocumentReference, ReferenceChange, ReferenceKey>{
          .change_key = [](const ReferenceChange& ch) -> std::optional<ReferenceKey> {
            ReferenceKey k{Trimmed(ch.uuid), Trimmed(ch.id), Trimmed(ch.type_code)};
            if (k.uuid.empty() && k.id.empty()) return std::nullopt;
            return k;
          },
          .key = [](const DocumentReference& r) { return ReferenceKey{r.uuid, r.id, r.type_code}; },
          .apply = [&](const DocumentReference* stored, const ReferenceChange& ch) -> std::optional<DocumentReference> {
            DocumentReference r = stored ? *stored : DocumentReference{};
            if (!stored) {
              r.id = Trimmed(ch.id);
              r.type_code = Trimmed(ch.type_code);
            }
            Set(r.uuid, ch.uuid);
            Set(r.role_code, ch.role_code);
            if (r.type_code == kCampaignTypeCode) r.role_code = std::string(kPredecessor);
            return r;
          },
          .error = error});
}

void TaskProcessor::ApplyTexts(Task& t) {
  const std::string task_label = std::to_string(t.id);
  // Only bodies and comments exist on a task; a text of another type is an error of its own
  // and takes no part in the list (not even in a complete one).
  a2x::ListChange<TextChange> texts{c_.texts.complete, {}};
  const std::vector<TaskText> before = t.texts;
  std::set<std::string> stamped;
  for (const TextChange& ch : c_.texts.items) {
    const std::string type = TextType(ch);
    if (type == kTextBody || type == kTextComment) texts.items.push_back(ch);
    else Error("011", {type}, ch.sender_id);
  }
  auto error = [&](const TextChange& ch, a2x::ListError e) {
    if (e == a2x::ListError::kExists) Error("012", {}, ch.sender_id);
    else Error("018", {TextType(ch), task_label}, ch.sender_id);
  };
  a2x::ApplyListChange(
      t.texts, texts,
      a2x::ListRules<TaskText, TextChange, std::string>{
          .change_key = [](const TextChange& ch) -> std::optional<std::string> {
            const std::string type = TextType(ch), created = Trimmed(ch.created_at);
            if (type != kTextBody && created.empty()) return std::nullopt;  // a new comment
            return TextKey(type, created);
          },
          .key = [](const TaskText& x) { return TextKey(x.type_code, x.created_at); },
          .apply = [&](const TaskText* stored, const TextChange& ch) -> std::optional<TaskText> {
            TaskText x = stored ? *stored : TaskText{};
            if (!stored) {
              x.type_code = TextType(ch);
              x.created_at = Trimmed(ch.created_at);
              if (x.created_at.empty()) {
                x.created_at = FreeCommentStamp(before, stamped, now_);
                stamped.insert(x.created_at);
              }
            }
            Set(x.language, ch.language);
            if (ch.content) x.content = *ch.content;
            return x;
          },
          .error = error});
}

void TaskProcessor::ApplyAttachments(Task& t) {
  if (!c_.attachment_folder_present) return;
  // The folder is a node of every task, so deleting it (03 or 05) never fails: it empties it.
  switch (c_.attachment_folder_action) {
    case Action::kDelete:
    case Action::kRemove:
      t.attachments.clear();
      return;
    case Action::kNoAction:
      return;
    default:
      break;
  }
  const std::string task_label = std::to_string(t.id);
  auto error = [&](const AttachmentChange& ch, a2x::ListError e) {
    Error(e == a2x::ListError::kExists ? "019" : "015", {core::ToLower(Trimmed(ch.uuid)), task_label});
  };
  a2x::ApplyListChange(
      t.attachments, c_.attachments,
      a2x::ListRules<Attachment, AttachmentChange, std::string>{
          .change_key = [](const AttachmentChange& ch) -> std::optional<std::string> {
            std::string uuid = core::ToLower(Trimmed(ch.uuid));
            if (uuid.empty()) return std::nullopt;
            return uuid;
          },
          .key = [](const Attachment& x) { return x.uuid; },
          .apply = [&](const Attachment* stored, const AttachmentChange& ch) -> std::optional<Attachment> {
            Attachment x = stored ? *stored : Attachment{};
            if (!stored) {
              x.uuid = core::ToLower(Trimmed(ch.uuid));
              if (x.uuid.empty()) x.uuid = NewUuid(now_);
            }
            Set(x.category_code, ch.category_code);
            Set(x.type_code, ch.type_code);
            Set(x.mime_code, ch.mime_code);
            Set(x.link_uri, ch.link_uri);
            if (ch.name) x.name = *ch.name;
            if (ch.alternative_name) x.alternative_name = *ch.alternative_name;
            if (ch.description) x.description = *ch.description;
            if (ch.file_name) x.file_name = *ch.file_name;
            if (ch.visible) x.visible = *ch.visible;
            if (ch.content_base64) x.content_base64 = *ch.content_base64;
            return x;
          },
          .error = error});
}

core::Status TaskProcessor::Run(std::optional<Confirmation>* confirmation) {
  // 1. Which task is meant.
  std::optional<Task> by_uuid, by_id;
  if (c_.uuid && !Collapse(*c_.uuid).empty()) {
    CW_ASSIGN_OR_RETURN(by_uuid, tasks_.ByUuid(*c_.uuid));
  }
  bool id_given = c_.id && !Collapse(*c_.id).empty();
  if (id_given) {
    if (auto id = ParseId(*c_.id)) {
      CW_ASSIGN_OR_RETURN(by_id, tasks_.ById(*id));
    }
  }
  const bool uuid_given = c_.uuid && !Collapse(*c_.uuid).empty();
  if (uuid_given && id_given &&
      (by_uuid.has_value() != by_id.has_value() || (by_uuid && by_id && by_uuid->id != by_id->id))) {
    Error("010", {Collapse(*c_.id), Collapse(*c_.uuid)});
    return core::Status::Ok();
  }
  std::optional<Task> current = by_uuid ? std::move(by_uuid) : std::move(by_id);

  Action action = c_.action;
  if (action == Action::kSave) action = current ? Action::kUpdate : Action::kCreate;
  if (action == Action::kCreate) {
    if (current) {
      Error("001", {Label()});
      return core::Status::Ok();
    }
    if (id_given) {
      Error("017", {Collapse(*c_.id)});
      return core::Status::Ok();
    }
  } else if (!current) {
    if (action == Action::kRemove) return core::Status::Ok();  // nothing to remove, no error
    if (!uuid_given && !id_given) Error("016", {ActionCode(c_.action)});
    else Error("002", {Label()});
    return core::Status::Ok();
  }

  // 2. Optimistic lock.
  if (current && c_.change_state_id && !a2x::ChangeStateMatches(*c_.change_state_id, current->change_state_id)) {
    Error("003", {std::to_string(current->id), Collapse(*c_.change_state_id)});
    return core::Status::Ok();
  }

  // 3. The new state.
  Confirmation conf;
  conf.sender_id = c_.sender_id;
  if (action == Action::kDelete || action == Action::kRemove) {
    conf.uuid = current->uuid;
    conf.id = std::to_string(current->id);
    conf.change_state_id = NextChangeState(now_);
    CW_RETURN_IF_ERROR(tasks_.Delete(*current));
    *confirmation = conf;
    return core::Status::Ok();
  }
  Task t;
  const bool create = !current;
  if (create) {
    t.uuid = uuid_given ? core::ToLower(Collapse(*c_.uuid)) : NewUuid(now_);
    t.priority_code = "3";
    t.sensitivity_code = "1";
    t.life_cycle_status = std::string(kStatusOpen);
    t.data_origin_code = "1";
    t.created_at = now_;
    t.created_by = user_;
  } else {
    t = *current;
  }
  if (action != Action::kNoAction) {
    CW_RETURN_IF_ERROR(ApplyRoot(t));
    CW_RETURN_IF_ERROR(ApplyParties(t));
  }
  ApplyReferences(t);
  ApplyTexts(t);
  ApplyAttachments(t);
  if (failed_) return core::Status::Ok();

  // A change that changes nothing (06 on the task and its children, or values equal to the
  // stored ones) stores nothing: no new ChangeStateID. `t` began as the stored task, so
  // equality says it.
  if (create || t != *current) {
    t.changed_at = now_;
    t.changed_by = user_;
    t.change_state_id = NextChangeState(now_);
    if (!create) {
      CW_RETURN_IF_ERROR(tasks_.Update(t));
    } else {
      // A check draws no number: its confirmation of a create carries no ID.
      if (!check_) {
        CW_ASSIGN_OR_RETURN(t.id, numbers_.Next());
        drew_ = true;
      }
      CW_RETURN_IF_ERROR(tasks_.Insert(t));
    }
  }
  conf.uuid = t.uuid;
  conf.id = t.id > 0 ? std::to_string(t.id) : std::string();
  // A check changes nothing: the client's change state stays the one to send.
  conf.change_state_id = check_ && !create ? current->change_state_id : t.change_state_id;
  *confirmation = conf;
  return core::Status::Ok();
}

}  // namespace

namespace {

struct Outcome {
  std::vector<LogItem> log;
  std::optional<Confirmation> confirmation;
};

LogItem TechnicalError(const core::Error& e, const std::string& sender_id) {
  return LogItem{e.GatewayCode(), LogSeverity::kError, sender_id,
                 a2x::LogItemNote("Technical error; the activity task was not saved: " + e.text)};
}

BundleResult Summarize(std::vector<Outcome>& outcomes) {
  BundleResult result;
  size_t succeeded = 0;
  for (Outcome& o : outcomes) {
    const bool ok = !a2x::HasError(o.log);
    if (ok) ++succeeded;
    if (ok && o.confirmation) result.confirmations.push_back(std::move(*o.confirmation));
    for (auto& i : o.log) result.log.push_back(std::move(i));
  }
  result.processing_result_code = a2x::ProcessingResultCode(succeeded, outcomes.size());
  return result;
}

}  // namespace

BundleResult TaskActivities::MaintainBundle(const BundleRequest& request, const std::string& user) {
  return Run(request, user, false);
}

BundleResult TaskActivities::CheckMaintainBundle(const BundleRequest& request, const std::string& user) {
  return Run(request, user, true);
}

core::Result<BundleResult> TaskActivities::MaintainBundle(store::Tx& tx, const BundleRequest& request,
                                                          const std::string& user) {
  return RunIn(tx, request, user, false);
}

core::Result<BundleResult> TaskActivities::CheckMaintainBundle(store::Tx& tx, const BundleRequest& request,
                                                               const std::string& user) {
  return RunIn(tx, request, user, true);
}

BundleResult TaskActivities::NotSaved(const BundleRequest& request, const core::Error& error) {
  std::vector<Outcome> outcomes(request.tasks.size());
  for (size_t i = 0; i < outcomes.size(); ++i) outcomes[i].log.push_back(TechnicalError(error, request.tasks[i].sender_id));
  return Summarize(outcomes);
}

// One transaction per bundle: the bundle waits for one durable commit instead of one per task,
// and numbers are drawn in request order. Each task commits or rolls back on its own: a store
// error in one task undoes only that task. That takes a savepoint per task, which costs two
// statements and makes SQLite copy every existing page the task changes (the last pages of the
// table and of its indexes, again for every task): a fifth of the writer's time per bundle. So
// the tasks first run together in one savepoint; only if a statement fails is the bundle rolled
// back and run again with a savepoint per task, with the same outcome as if it had always had them.
core::Result<BundleResult> TaskActivities::RunIn(store::Tx& tx, const BundleRequest& request, const std::string& user,
                                                 bool check) {
  const core::SystemTime now = clock_.Now();
  if (check) return RunTasks(tx, request, user, now, /*check=*/true, /*savepoint_per_task=*/false);
  CW_RETURN_IF_ERROR(tx.Exec("SAVEPOINT activity_bundle"));
  core::Result<BundleResult> result = RunTasks(tx, request, user, now, false, false);
  if (!result.ok()) {
    CW_RETURN_IF_ERROR(tx.Exec("ROLLBACK TO SAVEPOINT activity_bundle"));
    result = RunTasks(tx, request, user, now, false, true);
    if (!result.ok()) return result;
  }
  CW_RETURN_IF_ERROR(tx.Exec("RELEASE SAVEPOINT activity_bundle"));
  return result;
}

// The tasks in order. Without a savepoint per task a task's store error is returned at once
// (the caller rolls back); with one, it becomes that task's technical error item.
core::Result<BundleResult> TaskActivities::RunTasks(store::Tx& tx, const BundleRequest& request,
                                                    const std::string& user, core::SystemTime now, bool check,
                                                    bool savepoint_per_task) {
  std::vector<Outcome> outcomes(request.tasks.size());
  PartnerLookup partners(tx);
  BundleTasks tasks(tx, check, db_.dialect() == store::Dialect::kPostgres);
  tasks::NumberRange numbers(tx, "TASK");
  const bool may_create = std::any_of(request.tasks.begin(), request.tasks.end(), [](const TaskChange& c) {
    return c.action == Action::kCreate || c.action == Action::kSave;
  });
  if (!check && may_create) CW_RETURN_IF_ERROR(numbers.Open());
  for (size_t i = 0; i < request.tasks.size(); ++i) {
    Outcome& o = outcomes[i];
    if (savepoint_per_task) CW_RETURN_IF_ERROR(tx.Exec("SAVEPOINT activity_task"));
    TaskProcessor p(tasks, partners, numbers, request.tasks[i], user, now, check, o.log);
    core::Status st = p.Run(&o.confirmation);
    if (!savepoint_per_task) {
      CW_RETURN_IF_ERROR(st);
    } else if (st.ok()) {
      CW_RETURN_IF_ERROR(tx.Exec("RELEASE SAVEPOINT activity_task"));
    } else {
      CW_RETURN_IF_ERROR(tx.Exec("ROLLBACK TO SAVEPOINT activity_task"));
      CW_RETURN_IF_ERROR(tx.Exec("RELEASE SAVEPOINT activity_task"));
      o.confirmation.reset();
      o.log.push_back(TechnicalError(st.error(), request.tasks[i].sender_id));
    }
    if (st.ok() && p.drew()) numbers.Take();
  }
  CW_RETURN_IF_ERROR(numbers.Close());
  return Summarize(outcomes);
}

BundleResult TaskActivities::Run(const BundleRequest& request, const std::string& user, bool check) {
  BundleResult result;
  auto fn = [&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(result, RunIn(tx, request, user, check));
    return core::Status::Ok();
  };
  core::Status st = check ? db_.Read(fn) : db_.Write(fn);
  // The commit itself failed: nothing of the bundle is stored.
  if (!st.ok()) return NotSaved(request, st.error());
  return result;
}

core::Result<std::vector<Task>> TaskActivities::ListTasks(int64_t after_id, size_t limit) {
  std::vector<Task> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, tasks::List(tx, after_id, limit));
    return core::Status::Ok();
  }));
  return out;
}

core::Result<std::optional<Task>> TaskActivities::FindTask(std::string_view id_or_uuid) {
  std::optional<Task> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    if (auto id = ParseId(id_or_uuid)) {
      CW_ASSIGN_OR_RETURN(out, tasks::FindById(tx, *id));
    } else {
      CW_ASSIGN_OR_RETURN(out, tasks::FindByUuid(tx, core::Trim(id_or_uuid)));
    }
    return core::Status::Ok();
  }));
  return out;
}

core::Status TaskActivities::UpsertPartner(const Partner& p) {
  return db_.Write([&](store::Tx& tx) { return partners::Upsert(tx, p); });
}

core::Result<std::vector<Partner>> TaskActivities::ListPartners() {
  std::vector<Partner> out;
  CW_RETURN_IF_ERROR(db_.Read([&](store::Tx& tx) -> core::Status {
    CW_ASSIGN_OR_RETURN(out, partners::List(tx));
    return core::Status::Ok();
  }));
  return out;
}

core::Status TaskActivities::SeedDemoPartners() {
  return db_.Write([&](store::Tx& tx) -> core::Status {
    for (const Partner& p : DemoPartners()) {
      CW_ASSIGN_OR_RETURN(auto existing, partners::Find(tx, p.id));
      if (!existing) CW_RETURN_IF_ERROR(partners::Upsert(tx, p));
    }
    return core::Status::Ok();
  });
}

}  // namespace causeway::activities
