#include "domain/changes/change_desk.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "core/blocking.h"
#include "domain/changes/change_codec.h"
#include "domain/changes/change_repository.h"
#include "domain/changes/master_repository.h"
#include "store/migration.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::changes {
namespace {

constexpr char kTenant[] = "100000002";

// Passes writes through but holds the completions of asynchronous ones (a unit's CommitAsync,
// and so its OnCommit effects such as releasing record locks) until Release(): a commit still
// in flight, for as long as a test needs one. Blocking writes (number blocks) are not held.
class HeldCommits final : public store::Database {
 public:
  explicit HeldCommits(store::Database& inner) : inner_(inner) {}
  void WriteAsync(store::TxFn fn, store::WriteDone done) override {
    inner_.WriteAsync(std::move(fn), [this, done = std::move(done)](store::Status st) {
      {
        std::lock_guard lock(mu_);
        held_.push_back([done, st] { done(st); });
      }
      cv_.notify_all();
    });
  }
  store::Status Write(store::TxFn fn) override { return inner_.Write(std::move(fn)); }
  store::Status Read(store::TxFn fn) override { return inner_.Read(std::move(fn)); }
  std::string Health() override { return inner_.Health(); }
  std::string Kind() const override { return inner_.Kind(); }
  // Waits until `expected` writes reached the inner store, then completes them.
  void Release(size_t expected) {
    std::vector<std::function<void()>> ready;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return held_.size() >= expected; });
      ready.swap(held_);
    }
    for (auto& f : ready) f();
  }

 private:
  store::Database& inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::function<void()>> held_;  // GUARDED_BY(mu_)
};

class ChangeDeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cw_cx_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    OpenStore();
    ASSERT_TRUE(desk_->PutTenant(kTenant, "Demo").ok());
    ASSERT_TRUE(desk_->PutPerson(kTenant, {"10010", "ana", "Ana", "Lopez", "ana@example.com", "", "", {"agent"}}).ok());
    ASSERT_TRUE(desk_->PutPerson(kTenant, {"10020", "sx", "Service", "Exchange", "", "", "", {}}).ok());
    ASSERT_TRUE(desk_->PutPerson(kTenant, {"10025", "jira", "Jira", "Integration", "", "", "", {}}).ok());
    ASSERT_TRUE(desk_->PutSystem(kTenant, {"SNOW", "ServiceNow", "sx", "", "", ""}).ok());
    ASSERT_TRUE(desk_->PutSystem(kTenant, {"JIRA", "Jira", "jira", "", "", ""}).ok());
    ASSERT_TRUE(desk_->PutGroup(kTenant, {"20001", "Change Advisory", ""}).ok());
    ASSERT_TRUE(desk_->PutGroup(kTenant, {"20003", "ServiceNow Fulfillment", "SNOW"}).ok());
  }
  void OpenStore() {
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "c.db").string()});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(store::Migrate(*db_, ChangeMigrations()).ok());
    desk_ = std::make_unique<ChangeDesk>(*db_, clock_);
    ASSERT_TRUE(desk_->Open().ok());
  }
  void TearDown() override {
    desk_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  Caller Agent() const { return {kTenant, "10010", "ana"}; }
  Caller Integration() const { return {kTenant, "10020", "sx"}; }

  // A change in phase Evaluate (all Log requirements met), owned by `group`.
  std::string NewChange(const std::string& group = "20001") {
    ChangeInput in;
    in.properties = {{"DisplayLabel", std::string("Patch routers")},  {"Description", std::string("Firmware")},
                     {"ReasonForChange", std::string("Security")},    {"Justification", std::string("CVE")},
                     {"ChangeModel", std::string("Router patch")},    {"Category", std::string("Network")},
                     {"AffectsActualService", std::string("WAN")},    {"OwningGroup", group}};
    auto r = desk_->Create(Agent(), {in});
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE((*r)[0].status.ok()) << (*r)[0].status.error().text;
    return (*r)[0].id;
  }
  EntityOutcome Update(const std::string& id, PropertyList props, const Caller* caller = nullptr) {
    ChangeInput in;
    in.properties = std::move(props);
    auto r = desk_->Update(caller ? *caller : Agent(), {{id, in}});
    EXPECT_TRUE(r.ok());
    return std::move((*r)[0]);
  }
  EntityOutcome Incoming(std::string op, PropertyList props, std::vector<CommentInput> comments = {},
                         std::optional<std::string> external_id = std::nullopt, std::string system = "SNOW",
                         std::string type = "Change") {
    IncomingOperation o;
    o.entity_type = std::move(type);
    o.input.properties = std::move(props);
    o.input.comments = std::move(comments);
    o.ext.system = std::move(system);
    o.ext.operation = std::move(op);
    o.ext.external_id = std::move(external_id);
    auto r = desk_->ApplyIncoming(Integration(), {o});
    EXPECT_TRUE(r.ok());
    return std::move((*r)[0]);
  }
  std::string Ops(const std::string& system = "SNOW", int64_t since = 0) {
    auto page = desk_->Poll(kTenant, system, since, 0, 4000);
    EXPECT_TRUE(page.ok());
    std::string s;
    for (const auto& p : page->operations)
      s += (s.empty() ? "" : " ") + p.operation.change_id + ":" + p.operation.operation;
    return s;
  }
  std::shared_ptr<const ChangeState> Get(const std::string& id) {
    auto s = desk_->Find(kTenant, id);
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : nullptr;
  }
  static std::string Code(const EntityOutcome& o) { return o.status.ok() ? "" : o.status.error().GatewayCode(); }

  std::filesystem::path dir_;
  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  std::unique_ptr<ChangeDesk> desk_;
};

TEST_F(ChangeDeskTest, CreateSetsDefaultsAndMovesToEvaluate) {
  std::string id = NewChange();
  EXPECT_EQ(id, "10001");
  auto s = Get(id);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->change.phase_id, "Evaluate");  // Log's requirements held at once
  EXPECT_EQ(s->change.requested_by, "10010");  // the current user
  EXPECT_EQ(s->change.urgency, "SlightDisruption");
  EXPECT_EQ(s->change.impact_scope, "SingleUser");
  EXPECT_EQ(s->change.created_ms, 1714550400000);
  EXPECT_EQ(Ops(), "");  // an internal group: nothing to send
}

TEST_F(ChangeDeskTest, OwningGroupMovesGenerateAssignAndAccept) {
  std::string id = NewChange();
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(Update(id, {{"OwningGroup", std::string("20003")}}).status.ok());
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(Update(id, {{"OwningGroup", std::string("20001")}}).status.ok());
  EXPECT_EQ(Ops(), id + ":Assign " + id + ":Accept");
  auto log = desk_->Operations(kTenant, id);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->outgoing.size(), 2u);
  EXPECT_EQ(log->outgoing[0].rseq, 1);
  EXPECT_EQ(log->outgoing[0].time_ms, 1714550401000);
  EXPECT_EQ(log->outgoing[1].time_ms, 1714550402000);
  EXPECT_EQ(log->outgoing[0].cause, "OwningGroup 20001 -> 20003");
  // The watermark: only what happened at or after `since`.
  EXPECT_EQ(Ops("SNOW", 1714550402000), id + ":Accept");
  EXPECT_EQ(Ops("SNOW", 1714550402001), "");
}

TEST_F(ChangeDeskTest, CommentsAndAttachmentsGenerateUpdateButNotSystemOrPrivateOnes) {
  std::string id = NewChange("20003");
  EXPECT_EQ(Ops(), id + ":Assign");
  ASSERT_TRUE(desk_->AddComment(Agent(), id, {"", "Please schedule", "", std::nullopt, std::nullopt, ""})->status.ok());
  ASSERT_TRUE(desk_->AddComment(Agent(), id, {"", "internal note", "PRIVATE", std::nullopt, std::nullopt, ""})->status.ok());
  ASSERT_TRUE(desk_->AddComment(Agent(), id, {"", "robot", "", true, std::nullopt, ""})->status.ok());
  EXPECT_EQ(Ops(), id + ":Assign " + id + ":Update");
  auto file = desk_->StoreFile(Agent(), "plan.pdf", "application/pdf", "%PDF");
  ASSERT_TRUE(file.ok());
  ChangeInput in;
  in.attachments = std::vector<Attachment>{{file->guid, "", "", "", "", 0, 0}};
  auto r = desk_->Update(Agent(), {{id, in}});
  ASSERT_TRUE(r.ok() && (*r)[0].status.ok());
  EXPECT_EQ(Ops(), id + ":Assign " + id + ":Update " + id + ":Update");
  auto s = Get(id);
  ASSERT_EQ(s->change.attachments.size(), 1u);
  EXPECT_EQ(s->change.attachments[0].file_name, "plan.pdf");
  EXPECT_EQ(s->change.attachments[0].file_extension, "pdf");
  EXPECT_EQ(s->change.attachments[0].size, 4);
  // Re-sending the same list adds nothing.
  r = desk_->Update(Agent(), {{id, in}});
  ASSERT_TRUE(r.ok() && (*r)[0].status.ok());
  EXPECT_EQ(desk_->Operations(kTenant, id)->outgoing.size(), 3u);
  in.attachments = std::vector<Attachment>{{"nothere", "", "", "", "", 0, 0}};
  r = desk_->Update(Agent(), {{id, in}});
  EXPECT_EQ(Code((*r)[0]), "CAUSEWAY/CX/017");
}

TEST_F(ChangeDeskTest, NoUpdateAfterCancel) {
  std::string id = NewChange("20003");
  ASSERT_TRUE(Update(id, {{"CompletionCode", std::string("Withdrawn")}}).status.ok());
  ASSERT_TRUE(desk_->AddComment(Agent(), id, {"", "after cancel", "", std::nullopt, std::nullopt, ""})->status.ok());
  EXPECT_EQ(Ops(), id + ":Assign " + id + ":Cancel");
  EXPECT_TRUE(Get(id)->change.cancel_generated);
}

TEST_F(ChangeDeskTest, IncomingCreateIsIdempotentPerExternalId) {
  auto first = Incoming("Create", {{"DisplayLabel", std::string("From SNOW")}}, {{"", "hello", "", false, 1714000000000, ""}},
                        "CHG0042");
  ASSERT_TRUE(first.status.ok()) << first.status.error().text;
  auto again = Incoming("Create", {{"DisplayLabel", std::string("From SNOW")}}, {}, "CHG0042");
  ASSERT_TRUE(again.status.ok());
  EXPECT_EQ(again.id, first.id);
  auto s = Get(first.id);
  ASSERT_EQ(s->references.size(), 1u);
  EXPECT_EQ(s->references[0].external_id, "CHG0042");
  EXPECT_EQ(s->references[0].system_id, "SNOW");
  ASSERT_EQ(s->comments.size(), 1u);
  EXPECT_TRUE(s->comments[0].is_system);  // written by the integration
  EXPECT_EQ(s->change.requested_by, "10020");
  auto log = desk_->Operations(kTenant, first.id);
  ASSERT_EQ(log->incoming.size(), 2u);
  EXPECT_EQ(log->incoming[1].http_status, 200);
  EXPECT_NE(log->incoming[1].message.find("Create repeated"), std::string::npos);
}

TEST_F(ChangeDeskTest, IncomingUpdateKeepsExternalIdAndSendsNothingBack) {
  std::string id = NewChange("20003");
  ASSERT_TRUE(Incoming("Update", {{"Id", id}}, {}, "CHG7").status.ok());
  auto u = Incoming("Update", {{"Id", id}, {"Description", std::string("new text")}},
                    {{"", "from snow", "", false, 1714000000000, ""}});
  ASSERT_TRUE(u.status.ok()) << u.status.error().text;
  auto s = Get(id);
  EXPECT_EQ(s->change.description, "new text");
  EXPECT_EQ(s->ReferenceOf("SNOW")->external_id, "CHG7");
  EXPECT_EQ(Ops(), id + ":Assign");  // the system comment goes nowhere
  // Re-sent comments (the integration merges lists) are not added twice.
  ASSERT_TRUE(Incoming("Update", {{"Id", id}}, {{"", "from snow", "", false, 1714000000000, ""}}).status.ok());
  EXPECT_EQ(Get(id)->comments.size(), 1u);
}

TEST_F(ChangeDeskTest, ACommentsOwnIdIsNeverTheRecordsKey) {
  std::string id = NewChange("20003");
  ASSERT_TRUE(desk_->AddComment(Agent(), id, {"", "agent note", "", std::nullopt, std::nullopt, ""})->status.ok());
  const std::string ours = Get(id)->comments.back().id;
  // The external tool's comment ids share the record's number range: a foreign comment whose id
  // is one of ours is still a new comment, and it gets a number of its own.
  auto u = Incoming("Update", {{"Id", id}}, {{ours, "reply from the tool", "", false, 1714000000000, ""}}, "CHG8");
  ASSERT_TRUE(u.status.ok()) << u.status.error().text;
  auto s = Get(id);
  ASSERT_EQ(s->comments.size(), 2u);
  EXPECT_EQ(s->comments[1].body, "reply from the tool");
  EXPECT_NE(s->comments[1].id, ours);
  // Ids ahead of the record's numbering are not taken either: the next system comment (Assign)
  // and the next agent comment find their numbers free.
  const int64_t ahead = std::stoll(s->comments[1].id) + 1;
  std::vector<CommentInput> foreign;
  for (int i = 0; i < 5; ++i)
    foreign.push_back({std::to_string(ahead + i), "tool " + std::to_string(i), "", false, 1714000000001 + i, ""});
  ASSERT_TRUE(Incoming("Update", {{"Id", id}}, foreign).status.ok());
  auto a = Incoming("Assign", {{"Id", id}}, {}, "CHG8");
  ASSERT_TRUE(a.status.ok()) << a.status.error().text;
  ASSERT_TRUE(desk_->AddComment(Agent(), id, {"", "second note", "", std::nullopt, std::nullopt, ""})->status.ok());
  s = Get(id);
  ASSERT_EQ(s->comments.size(), 9u);
  std::set<std::string> ids;
  for (const auto& c : s->comments) ids.insert(c.id);
  EXPECT_EQ(ids.size(), s->comments.size());
  // Our own comment sent back by the integration (its id and body) is still recognised.
  ASSERT_TRUE(Incoming("Update", {{"Id", id}}, {{ours, "agent note", "", false, 1714000009999, ""}}).status.ok());
  EXPECT_EQ(Get(id)->comments.size(), 9u);
  // A foreign comment with an Id but no CreatedTime is stamped when it arrives; re-sent (the
  // integration merges both sides' lists on every sync) it is not added again.
  for (int sync = 0; sync < 3; ++sync) {
    clock_.Advance(std::chrono::seconds(5));
    ASSERT_TRUE(
        Incoming("Update", {{"Id", id}}, {{"77", "untimed from the tool", "", false, std::nullopt, ""}}).status.ok());
  }
  EXPECT_EQ(Get(id)->comments.size(), 10u);
}

TEST_F(ChangeDeskTest, FailingPhaseChangeChangesNothing) {
  std::string id = NewChange("20003");
  auto before = Get(id);
  auto r = Incoming("Update", {{"Id", id}, {"Description", std::string("changed")}, {"PhaseId", std::string("Build")}},
                    {{"", "comment in a failing update", "", false, std::nullopt, ""}}, "CHG9");
  EXPECT_EQ(Code(r), "CAUSEWAY/CX/021");
  EXPECT_EQ(r.status.error().HttpStatus(), 400);
  auto after = Get(id);
  EXPECT_EQ(after->change.description, before->change.description);
  EXPECT_EQ(after->change.version, before->change.version);
  EXPECT_TRUE(after->comments.empty());
  EXPECT_TRUE(after->references.empty());
  auto log = desk_->Operations(kTenant, id);
  ASSERT_EQ(log->incoming.size(), 1u);
  EXPECT_EQ(log->incoming[0].http_status, 400);
  // The defined transition works.
  EXPECT_TRUE(Incoming("Update", {{"Id", id}, {"PhaseId", std::string("Plan")}}).status.ok());
  EXPECT_EQ(Get(id)->change.phase_id, "Plan");
}

TEST_F(ChangeDeskTest, CancelNeedsATransitionToAbandon) {
  std::string id = NewChange("20003");
  for (const char* phase : {"Plan", "Approve", "Build", "Test", "Implement"})
    ASSERT_TRUE(Update(id, {{"PhaseId", std::string(phase)}}).status.ok()) << phase;
  auto before = Get(id);
  auto r = Incoming("Cancel", {{"Id", id}});
  EXPECT_EQ(Code(r), "CAUSEWAY/CX/021");
  auto after = Get(id);
  EXPECT_EQ(after->change.completion_code, "");
  EXPECT_EQ(after->change.phase_id, "Implement");
  EXPECT_EQ(after->change.version, before->change.version);

  std::string other = NewChange("20003");
  ASSERT_TRUE(Incoming("Cancel", {{"Id", other}}).status.ok());
  EXPECT_EQ(Get(other)->change.phase_id, "Abandon");
  EXPECT_EQ(Get(other)->change.completion_code, "Withdrawn");
  ASSERT_TRUE(Incoming("Cancel", {{"Id", other}}).status.ok());  // delivered again: still fine
  // The Cancel came from SNOW: no Cancel back to it, and no Update either afterwards.
  ASSERT_TRUE(desk_->AddComment(Agent(), other, {"", "too late", "", std::nullopt, std::nullopt, ""})->status.ok());
  EXPECT_EQ(Ops(), id + ":Assign " + other + ":Assign");
}

TEST_F(ChangeDeskTest, AssignAndRejectComment) {
  std::string id = NewChange("20003");
  ASSERT_TRUE(Incoming("Assign", {{"Id", id}}, {}, "CHG1").status.ok());
  auto s = Get(id);
  ASSERT_EQ(s->comments.size(), 1u);
  EXPECT_EQ(s->comments[0].body, "Change was assigned locally from external system");
  EXPECT_TRUE(s->comments[0].is_system);
  EXPECT_EQ(s->references.size(), 1u);
  ASSERT_TRUE(Incoming("Reject", {{"Id", id}}).status.ok());
  s = Get(id);
  EXPECT_TRUE(s->references.empty());
  EXPECT_EQ(s->comments.back().body, "Change was rejected by the external fulfillment system");
}

TEST_F(ChangeDeskTest, RefusalsPerEntity) {
  std::string id = NewChange();
  IncomingOperation good;
  good.entity_type = "Change";
  good.input.properties = {{"Id", id}, {"Description", std::string("ok")}};
  good.ext = {"SNOW", "Update", {}, {}, {}};
  struct Row {
    IncomingOperation op;
    const char* code;
    int status;
  };
  auto with = [&](auto fn) {
    IncomingOperation o = good;
    fn(o);
    return o;
  };
  std::vector<Row> rows = {
      {good, "", 200},
      {with([](auto& o) { o.ext.operation = "update"; }), "CAUSEWAY/CX/006", 400},
      {with([](auto& o) { o.ext.operation = "Close"; }), "CAUSEWAY/CX/007", 400},
      {with([](auto& o) { o.ext.system = "NOPE"; }), "CAUSEWAY/CX/004", 400},
      {with([](auto& o) { o.ext.system = "JIRA"; }), "CAUSEWAY/CX/005", 403},
      {with([](auto& o) { o.entity_type = "Incident"; }), "CAUSEWAY/CX/003", 400},
      {with([](auto& o) { o.input.properties = {{"Id", std::string("99999")}}; }), "CAUSEWAY/CX/002", 404},
      {with([](auto& o) { o.input.properties = {{"Description", std::string("x")}}; }), "CAUSEWAY/CX/008", 400},
      {with([](auto& o) { o.input.properties.push_back({"Urgency", std::string("Bad")}); }), "CAUSEWAY/CX/012", 400},
  };
  std::vector<IncomingOperation> ops;
  for (const Row& r : rows) ops.push_back(r.op);
  auto out = desk_->ApplyIncoming(Integration(), ops);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(Code((*out)[i]), rows[i].code);
    if (!(*out)[i].status.ok()) {
      EXPECT_EQ((*out)[i].status.error().HttpStatus(), rows[i].status);
    }
  }
  EXPECT_EQ(Get(id)->change.description, "ok");  // the good one was applied
}

TEST_F(ChangeDeskTest, PollDateNeverPassesAnOperationInFlight) {
  std::string id = NewChange("20003");
  clock_.Advance(std::chrono::seconds(5));
  store::UnitOfWork unit(*db_);
  {
    store::UnitOfWork::Scope scope(unit);
    ASSERT_TRUE(desk_->AddComment(Agent(), id, {"", "in flight", "", std::nullopt, std::nullopt, ""})->status.ok());
  }
  const int64_t stamp = 1714550405000;
  clock_.Advance(std::chrono::seconds(5));
  auto page = desk_->Poll(kTenant, "SNOW", 0, 0, 100);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->operations.size(), 1u);  // not committed yet: invisible
  EXPECT_EQ(page->read_moment_ms, stamp);  // so the next poll starts no later than its stamp
  ASSERT_TRUE(unit.Commit().ok());
  page = desk_->Poll(kTenant, "SNOW", page->read_moment_ms, 0, 100);
  ASSERT_EQ(page->operations.size(), 1u);
  EXPECT_EQ(page->operations[0].operation.operation, "Update");
  EXPECT_EQ(page->read_moment_ms, 1714550410000);
  EXPECT_EQ(desk_->locks().held(), 0u);
}

TEST_F(ChangeDeskTest, RolledBackEditLeavesNothing) {
  std::string id = NewChange("20003");
  {
    store::UnitOfWork unit(*db_);
    store::UnitOfWork::Scope scope(unit);
    ASSERT_TRUE(desk_->AddComment(Agent(), id, {"", "never", "", std::nullopt, std::nullopt, ""})->status.ok());
  }  // destroyed without commit
  EXPECT_EQ(Ops(), id + ":Assign");
  EXPECT_TRUE(Get(id)->comments.empty());
  EXPECT_EQ(desk_->locks().held(), 0u);
  EXPECT_EQ(desk_->operation_clock().SafeMoment(), 1714550400000);
}

TEST_F(ChangeDeskTest, ALoginNamesOnePersonOfATenant) {
  // Create, case variant, and rename onto a login in use: refused; the stored person is unchanged.
  for (const Person& p : {Person{"10030", "ana", "", "", "", "", "", {}}, Person{"10030", "ANA", "", "", "", "", "", {}},
                          Person{"10020", "Ana", "", "", "", "", "", {}}}) {
    core::Status st = desk_->PutPerson(kTenant, p);
    ASSERT_FALSE(st.ok()) << p.id << " " << p.login;
    EXPECT_EQ(st.error().code, core::Code::kConflict);
    EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/CX/051");
    EXPECT_EQ(st.error().target, "login");
    EXPECT_NE(st.error().text.find("person 10010"), std::string::npos) << st.error().text;
  }
  EXPECT_EQ(desk_->directory()->FindTenant(kTenant)->FindPerson("10030"), nullptr);
  EXPECT_EQ(desk_->directory()->FindTenant(kTenant)->FindPerson("10020")->login, "sx");
  // A person keeps (or changes the case of) its own login; people without one are many.
  EXPECT_TRUE(desk_->PutPerson(kTenant, {"10010", "Ana", "Ana", "Lopez", "", "", "", {"agent"}}).ok());
  EXPECT_TRUE(desk_->PutPerson(kTenant, {"10040", "", "No", "Logon", "", "", "", {}}).ok());
  EXPECT_TRUE(desk_->PutPerson(kTenant, {"10050", "", "No", "Logon", "", "", "", {}}).ok());
  // Once renamed, the login is free; another tenant has logins of its own.
  EXPECT_TRUE(desk_->PutPerson(kTenant, {"10010", "ana.lopez", "Ana", "Lopez", "", "", "", {"agent"}}).ok());
  EXPECT_TRUE(desk_->PutPerson(kTenant, {"10030", "ana", "", "", "", "", "", {}}).ok());
  ASSERT_TRUE(desk_->PutTenant("200000003", "Other").ok());
  EXPECT_TRUE(desk_->PutPerson("200000003", {"10010", "ana", "", "", "", "", "", {}}).ok());
  EXPECT_EQ(desk_->directory()->FindTenant(kTenant)->FindPersonByLogin("ANA")->id, "10030");
}

// A system acts as its authorized user, found by login: renaming that login takes the system
// along; taking the login away while a system acts as it is refused (052).
TEST_F(ChangeDeskTest, ARenamedPersonTakesItsSystemsAlong) {
  ASSERT_TRUE(desk_->PutSystem(kTenant, {"SNOW2", "Second instance", "SX", "", "", ""}).ok());
  ASSERT_TRUE(desk_->PutPerson(kTenant, {"10020", "sx.snow", "Service", "Exchange", "", "", "", {}}).ok());
  const Tenant* t = desk_->directory()->FindTenant(kTenant);
  EXPECT_EQ(t->FindSystem("SNOW")->authorized_user, "sx.snow");
  EXPECT_EQ(t->FindSystem("SNOW2")->authorized_user, "sx.snow");
  EXPECT_EQ(t->FindSystem("JIRA")->authorized_user, "jira");
  // A change of case is the same login: nothing moves.
  ASSERT_TRUE(desk_->PutPerson(kTenant, {"10020", "SX.SNOW", "Service", "Exchange", "", "", "", {}}).ok());
  EXPECT_EQ(desk_->directory()->FindTenant(kTenant)->FindSystem("SNOW")->authorized_user, "sx.snow");
  core::Status st = desk_->PutPerson(kTenant, {"10020", "", "Service", "Exchange", "", "", "", {}});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, core::Code::kConflict);
  EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/CX/052");
  EXPECT_EQ(st.error().text,
            "Login 'SX.SNOW' is the authorized user of external system SNOW, SNOW2; give the systems another authorized "
            "user first");
  EXPECT_EQ(desk_->directory()->FindTenant(kTenant)->FindPerson("10020")->login, "SX.SNOW");
  // Once the systems act as someone else, the login may go.
  ASSERT_TRUE(desk_->PutSystem(kTenant, {"SNOW", "ServiceNow", "jira", "", "", ""}).ok());
  ASSERT_TRUE(desk_->PutSystem(kTenant, {"SNOW2", "Second instance", "jira", "", "", ""}).ok());
  EXPECT_TRUE(desk_->PutPerson(kTenant, {"10020", "", "Service", "Exchange", "", "", "", {}}).ok());
}

// A system's authorized user is a login of a person of its tenant (checked in the write, so
// also against what another node wrote since this desk's snapshot).
TEST_F(ChangeDeskTest, ASystemActsAsAPersonOfItsTenant) {
  core::Status st = desk_->PutSystem(kTenant, {"ZEN", "Zendesk", "zen", "", "", ""});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/CX/050");
  EXPECT_EQ(st.error().target, "authorized_user");
  EXPECT_EQ(desk_->directory()->FindTenant(kTenant)->FindSystem("ZEN"), nullptr);
  ChangeDesk other(*db_, clock_);
  ASSERT_TRUE(other.Open().ok());
  ASSERT_TRUE(desk_->PutPerson(kTenant, {"10060", "zen", "Zen", "Desk", "", "", "", {}}).ok());
  EXPECT_TRUE(other.PutSystem(kTenant, {"ZEN", "Zendesk", "ZEN", "", "", ""}).ok());
}

// Another node's desk, whose snapshot predates the writes of this one: a rename there still
// moves a system added here since, and a system added there cannot name a login renamed here.
TEST_F(ChangeDeskTest, ARenameSeesSystemsAnOlderSnapshotMissed) {
  ChangeDesk other(*db_, clock_);
  ASSERT_TRUE(other.Open().ok());
  ASSERT_TRUE(desk_->PutSystem(kTenant, {"SNOW2", "Second instance", "sx", "", "", ""}).ok());
  ASSERT_TRUE(other.PutPerson(kTenant, {"10020", "sx.snow", "Service", "Exchange", "", "", "", {}}).ok());
  ASSERT_TRUE(desk_->ReloadDirectory().ok());
  EXPECT_EQ(desk_->directory()->FindTenant(kTenant)->FindSystem("SNOW2")->authorized_user, "sx.snow");
  ChangeDesk stale(*db_, clock_);
  ASSERT_TRUE(stale.Open().ok());
  ASSERT_TRUE(desk_->PutPerson(kTenant, {"10025", "jira.integration", "Jira", "Integration", "", "", "", {}}).ok());
  core::Status st = stale.PutSystem(kTenant, {"JIRA2", "Second Jira", "jira", "", "", ""});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/CX/050");
}

TEST_F(ChangeDeskTest, TheStoreRefusesADuplicateLoginAnOlderSnapshotMissed) {
  // Another node's desk on the same store, whose snapshot predates the write (no refresh yet).
  ChangeDesk other(*db_, clock_);
  ASSERT_TRUE(other.Open().ok());
  ASSERT_TRUE(desk_->PutPerson(kTenant, {"10030", "bob", "", "", "", "", "", {}}).ok());
  core::Status st = other.PutPerson(kTenant, {"10040", "BOB", "", "", "", "", "", {}});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, core::Code::kConflict);
  EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/CX/051");
  ASSERT_TRUE(desk_->ReloadDirectory().ok());
  EXPECT_EQ(desk_->directory()->FindTenant(kTenant)->FindPerson("10040"), nullptr);
}

TEST_F(ChangeDeskTest, MigrationKeepsADuplicatedLoginOnlyOnThePersonTheLogonFound) {
  // A store of before 0702 with duplicate logins (only the lowest id could log on).
  desk_.reset();
  db_.reset();
  std::filesystem::remove(dir_ / "c.db");
  auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "c.db").string()});
  ASSERT_TRUE(db.ok());
  db_ = std::move(db).value();
  std::vector<store::Migration> before;
  for (const auto& m : ChangeMigrations())
    if (m.version < 702) before.push_back(m);
  ASSERT_TRUE(store::Migrate(*db_, before).ok());
  ASSERT_TRUE(db_->Write([](store::Tx& tx) -> core::Status {
    CW_RETURN_IF_ERROR(master::Put(tx, kTenant, master::Kind::kTenant, kTenant, EncodeTenantName("Demo")));
    CW_RETURN_IF_ERROR(master::Put(tx, "200000003", master::Kind::kTenant, "200000003", EncodeTenantName("Other")));
    for (const Person& p : {Person{"50002", "bob", "", "", "", "", "", {}}, Person{"50003", "BOB", "", "", "", "", "", {}},
                            Person{"50001", "", "", "", "", "", "", {}}, Person{"50004", "", "", "", "", "", "", {}},
                            Person{"50005", "alice", "", "", "", "", "", {}}})
      CW_RETURN_IF_ERROR(master::Put(tx, kTenant, master::Kind::kPerson, p.id, EncodePerson(p)));
    return master::Put(tx, "200000003", master::Kind::kPerson, "50009", EncodePerson({"50009", "bob", "", "", "", "", "", {}}));
  }).ok());
  ASSERT_TRUE(store::Migrate(*db_, ChangeMigrations()).ok());
  desk_ = std::make_unique<ChangeDesk>(*db_, clock_);
  ASSERT_TRUE(desk_->Open().ok());
  const Tenant* t = desk_->directory()->FindTenant(kTenant);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->FindPerson("50002")->login, "bob");
  EXPECT_EQ(t->FindPerson("50003")->login, "");
  EXPECT_EQ(t->FindPerson("50005")->login, "alice");
  EXPECT_EQ(desk_->directory()->FindTenant("200000003")->FindPerson("50009")->login, "bob");
  core::Status st = desk_->PutPerson(kTenant, {"50003", "Bob", "", "", "", "", "", {}});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/CX/051");
}

TEST_F(ChangeDeskTest, OperationsAndTimesSurviveARestart) {
  std::string id = NewChange("20003");
  clock_.Advance(std::chrono::seconds(3));
  ASSERT_TRUE(desk_->AddComment(Agent(), id, {"", "x", "", std::nullopt, std::nullopt, ""})->status.ok());
  auto before = desk_->Poll(kTenant, "SNOW", 0, 0, 100);
  desk_.reset();
  db_.reset();
  OpenStore();
  auto after = desk_->Poll(kTenant, "SNOW", 0, 0, 100);
  ASSERT_EQ(after->operations.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(after->operations[i].operation.time_ms, before->operations[i].operation.time_ms);
    EXPECT_EQ(after->operations[i].operation.operation, before->operations[i].operation.operation);
  }
  std::string next = NewChange();
  EXPECT_GT(std::stoll(next), std::stoll(id));  // numbers of the old block are never reused
  ASSERT_TRUE(desk_->AddComment(Agent(), id, {"", "y", "", std::nullopt, std::nullopt, ""})->status.ok());
  EXPECT_EQ(desk_->Operations(kTenant, id)->outgoing.back().rseq, 3);
}

TEST_F(ChangeDeskTest, ConcurrentEditsOfOneRecordAreSerialized) {
  std::string id = NewChange("20003");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto r = desk_->AddComment(Agent(), id, {"", "c" + std::to_string(t) + "-" + std::to_string(i), "", std::nullopt,
                                                 std::nullopt, ""});
        EXPECT_TRUE(r.ok() && r->status.ok());
      }
    });
  for (auto& th : threads) th.join();
  auto s = Get(id);
  EXPECT_EQ(s->comments.size(), 40u);
  EXPECT_EQ(s->change.comment_count, 40);
  EXPECT_EQ(desk_->Operations(kTenant, id)->outgoing.size(), 41u);  // Assign + 40 Updates
  for (size_t i = 0; i < s->comments.size(); ++i) EXPECT_EQ(s->comments[i].seq, static_cast<int64_t>(i + 1));
}

TEST_F(ChangeDeskTest, AnEditWaitsForTheLocksOfACommitInFlightWhateverUnitObjectItHad) {
  std::string id = NewChange("20003");
  HeldCommits held(*db_);
  ChangeDesk desk(held, clock_, {.lock_timeout = std::chrono::milliseconds(0)});
  ASSERT_TRUE(desk.Open().ok());
  // Each request builds its unit where the previous one stood (a worker's stack); the first
  // one's commit is still in flight when the object is gone.
  std::optional<store::UnitOfWork> slot;
  struct Attempt {
    core::Status status;
    std::shared_ptr<core::Completion> done;
  };
  auto comment = [&](const std::string& body) {
    slot.emplace(held);
    Attempt a;
    {
      store::UnitOfWork::Scope scope(*slot);
      auto r = desk.AddComment(Agent(), id, {"", body, "", std::nullopt, std::nullopt, ""});
      a.status = r.ok() ? r->status : core::Status(r.error());
    }
    if (a.status.ok()) a.done = slot->CommitAsync();
    slot.reset();
    return a;
  };
  Attempt first = comment("one");
  ASSERT_TRUE(first.status.ok());
  ASSERT_FALSE(first.done->done());
  EXPECT_EQ(desk.locks().held(), 1u);
  // Not "already being changed in this unit of work" (092): that unit is another one. Busy.
  Attempt second = comment("two");
  ASSERT_FALSE(second.status.ok());
  EXPECT_EQ(second.status.error().GatewayCode(), "CAUSEWAY/CX/030");
  held.Release(1);
  EXPECT_TRUE(first.done->Wait().ok());
  EXPECT_EQ(desk.locks().held(), 0u);
  Attempt third = comment("three");
  ASSERT_TRUE(third.status.ok());
  held.Release(1);
  EXPECT_TRUE(third.done->Wait().ok());
  std::vector<std::string> bodies;
  auto state = Get(id);
  for (const Comment& c : state->comments) bodies.push_back(c.body);
  EXPECT_EQ(bodies, (std::vector<std::string>{"one", "three"}));
}

TEST_F(ChangeDeskTest, OnAnIoThreadAnEditThatWouldWaitForALockSaysSoAtOnceAndStagesNothing) {
  std::string id = NewChange("20003");
  HeldCommits held(*db_);
  // A wait would end in Busy (030) after ten seconds: WouldBlock says it did not wait.
  ChangeDesk desk(held, clock_, {.lock_timeout = std::chrono::seconds(10)});
  ASSERT_TRUE(desk.Open().ok());
  store::UnitOfWork first(held);
  {
    store::UnitOfWork::Scope scope(first);
    auto r = desk.AddComment(Agent(), id, {"", "one", "", std::nullopt, std::nullopt, ""});
    ASSERT_TRUE(r.ok() && r->status.ok());
  }
  auto first_done = first.CommitAsync();  // in flight: holds the record
  {
    core::NonBlockingScope io_thread;
    store::UnitOfWork second(held);
    store::UnitOfWork::Scope scope(second);
    auto r = desk.AddComment(Agent(), id, {"", "two", "", std::nullopt, std::nullopt, ""});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(core::IsWouldBlock(r.error())) << r.error().GatewayCode();
    EXPECT_TRUE(second.empty());
  }
  EXPECT_EQ(desk.locks().held(), 1u);  // only the first edit's
  held.Release(1);
  ASSERT_TRUE(first_done->Wait().ok());
  {
    core::NonBlockingScope io_thread;  // nothing held now: the same edit runs where it is
    store::UnitOfWork third(held);
    {
      store::UnitOfWork::Scope scope(third);
      auto r = desk.AddComment(Agent(), id, {"", "three", "", std::nullopt, std::nullopt, ""});
      ASSERT_TRUE(r.ok() && r->status.ok());
    }
    auto done = third.CommitAsync();
    held.Release(1);
    ASSERT_TRUE(done->Wait().ok());
  }
  std::vector<std::string> bodies;
  auto state = Get(id);
  for (const Comment& c : state->comments) bodies.push_back(c.body);
  EXPECT_EQ(bodies, (std::vector<std::string>{"one", "three"}));
}

TEST_F(ChangeDeskTest, OnAnIoThreadANumberBlockIsNotTakenButOneAlreadyTakenIsUsed) {
  ChangeInput in;
  in.properties = {{"DisplayLabel", std::string("Rotate keys")}};
  ChangeDesk fresh(*db_, clock_);  // no number block taken yet
  ASSERT_TRUE(fresh.Open().ok());
  {
    core::NonBlockingScope io_thread;
    store::UnitOfWork unit(*db_);
    store::UnitOfWork::Scope scope(unit);
    auto r = fresh.Create(Agent(), {in});
    const core::Status st = r.ok() ? (*r)[0].status : core::Status(r.error());
    ASSERT_FALSE(st.ok());
    EXPECT_TRUE(core::IsWouldBlock(st.error())) << st.error().GatewayCode();
  }
  auto on_worker = fresh.Create(Agent(), {in});  // takes a block, waiting for the store
  ASSERT_TRUE(on_worker.ok() && (*on_worker)[0].status.ok());
  // As the request's unit, committed without waiting (the server awaits it).
  store::UnitOfWork unit(*db_);
  std::string id;
  {
    core::NonBlockingScope io_thread;
    store::UnitOfWork::Scope scope(unit);
    auto r = fresh.Create(Agent(), {in});
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE((*r)[0].status.ok()) << (*r)[0].status.error().GatewayCode();
    id = (*r)[0].id;
  }
  ASSERT_TRUE(unit.CommitAsync()->Wait().ok());
  EXPECT_TRUE(Get(id) != nullptr);
  EXPECT_GT(std::stoll(id), std::stoll((*on_worker)[0].id));  // from the block the worker took
}

TEST_F(ChangeDeskTest, AnUpdateThatChangesNothingWritesNothing) {
  std::string id = NewChange();
  const int64_t version = Get(id)->change.version;
  struct Row {
    PropertyList props;
    bool changes;
  };
  const Row rows[] = {
      {{{"Description", std::string("Firmware")}}, false},  // as it is
      {{{"Description", std::string("Firmware v2")}}, true},
      {{{"Description", std::string("Firmware v2")}, {"Urgency", std::string("SlightDisruption")}}, false},
      {{{"Risk_c", 0.0}}, true},
      {{{"Risk_c", 0.0}}, false},
      {{{"Risk_c", -0.0}}, true},  // stored differently
      {{{"Risk_c", int64_t{0}}}, true},  // another type
      {{{"Risk_c", std::string("0")}}, true},
      {{{"Risk_c", std::string("0")}}, false},
  };
  int64_t expected = version;
  for (size_t i = 0; i < std::size(rows); ++i) {
    clock_.Advance(std::chrono::seconds(1));
    EntityOutcome o = Update(id, rows[i].props);
    ASSERT_TRUE(o.status.ok()) << i;
    if (rows[i].changes) ++expected;
    auto state = Get(id);
    EXPECT_EQ(state->change.version, expected) << "row " << i;
    EXPECT_EQ(state->change.updated_ms == core::ToUnixMillis(clock_.Now()), rows[i].changes) << "row " << i;
  }
}

TEST_F(ChangeDeskTest, PollShowsCommentsOfTheRecordsThatHaveThem) {
  std::string quiet = NewChange("20003");
  std::string talked = NewChange("20003");
  ASSERT_TRUE(desk_->AddComment(Agent(), talked, {"", "hello", "", std::nullopt, std::nullopt, ""})->status.ok());
  auto page = desk_->Poll(kTenant, "SNOW", 0, 0, 100);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->operations.size(), 3u);  // Assign, Assign, Update
  for (const PolledOperation& p : page->operations) {
    if (p.operation.change_id == quiet) EXPECT_TRUE(p.state->comments.empty());
    else ASSERT_EQ(p.state->comments.size(), 1u) << p.operation.operation;
  }
  // A page of records without comments (none on it ever had one) still reads their references.
  ASSERT_EQ(Incoming("Update", {{"Id", quiet}}, {}, "CHG-Q").status.ok(), true);
  page = desk_->Poll(kTenant, "SNOW", 0, 0, 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->operations.size(), 1u);
  EXPECT_EQ(page->operations[0].operation.change_id, quiet);
  EXPECT_TRUE(page->operations[0].state->comments.empty());
  ASSERT_EQ(page->operations[0].state->references.size(), 1u);
  EXPECT_EQ(page->operations[0].state->references[0].external_id, "CHG-Q");
}

// A large page: every record comes out whole and under its own id (records are found by id
// while the page is read), and a damaged one anywhere fails the poll.
TEST_F(ChangeDeskTest, APollOfManyRecordsDecodesEachUnderItsIdAndADamagedOneFailsIt) {
  std::vector<ChangeInput> inputs(700);
  for (size_t i = 0; i < inputs.size(); ++i)
    inputs[i].properties = {{"DisplayLabel", "change " + std::to_string(i)}, {"OwningGroup", std::string("20003")}};
  auto made = desk_->Create(Agent(), inputs);
  ASSERT_TRUE(made.ok());
  std::map<std::string, std::string> labels;  // id → label
  for (size_t i = 0; i < made->size(); ++i) {
    ASSERT_TRUE((*made)[i].status.ok()) << i;
    labels[(*made)[i].id] = "change " + std::to_string(i);
  }
  auto page = desk_->Poll(kTenant, "SNOW", 0, 0, 4000);
  ASSERT_TRUE(page.ok()) << page.error().text;
  ASSERT_EQ(page->operations.size(), 700u);
  for (const PolledOperation& p : page->operations) {
    ASSERT_EQ(p.state->change.id, p.operation.change_id);
    EXPECT_EQ(p.state->change.display_label, labels.at(p.operation.change_id));
  }
  const std::string last = page->operations.back().operation.change_id;
  ASSERT_TRUE(db_->Write([&](store::Tx& tx) {
                   return tx.Exec("UPDATE cx_changes SET doc = '[1]' WHERE id = ?", {store::Value(last)});
                 }).ok());
  auto damaged = desk_->Poll(kTenant, "SNOW", 0, 0, 4000);
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.error().text.find("change"), std::string::npos) << damaged.error().text;
}

// The reads of every incoming operation and every poll come from an index, in the order asked
// for: no walk over the tenant's rows (an O(records) scan per request was what held incoming
// Updates to a few hundred per second) and no sort.
TEST_F(ChangeDeskTest, PlansUseIndexes) {
  const store::Value v{std::string("x")}, n{int64_t{0}};
  struct Row {
    const char* sql;
    std::vector<store::Value> params;
    const char* must_use;
  };
  const Row rows[] = {
      {repo::sql::kRefByExternalId, {v, v, v}, "cx_external_refs_external"},
      {repo::sql::kPollCount, {v, v, n}, "cx_outgoing_poll"},
      {repo::sql::kPollPage, {v, v, n, n, n}, "cx_outgoing_poll"},
      {repo::sql::kPollComments, {v, v, v, n, n, n}, "cx_comments_seq"},
      {repo::sql::kPollRefs, {v, v, v, v, n, n, n}, "cx_outgoing_poll"},
  };
  for (const Row& row : rows) {
    std::string plan;
    ASSERT_TRUE(db_->Read([&](store::Tx& tx) {
                     return tx.Query(std::string("EXPLAIN QUERY PLAN ") + row.sql, row.params,
                                     [&](const store::Row& r) { plan += std::string(r.Text(3)) + "\n"; });
                   }).ok());
    EXPECT_EQ(plan.find("SCAN"), std::string::npos) << row.sql << "\n" << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << row.sql << "\n" << plan;
    EXPECT_NE(plan.find(row.must_use), std::string::npos) << row.sql << "\n" << plan;
  }
}

}  // namespace
}  // namespace causeway::changes
