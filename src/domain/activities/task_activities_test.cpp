#include "domain/activities/task_activities.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "domain/activities/task_repository.h"
#include "store/migration.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::activities {
namespace {

using core::Status;

class TaskActivitiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cw_act_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "a.db").string()});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(store::Migrate(*db_, ActivityMigrations()).ok());
    acts_ = std::make_unique<TaskActivities>(*db_, clock_);
    ASSERT_TRUE(acts_->SeedDemoPartners().ok());
  }
  void TearDown() override {
    acts_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  BundleResult Maintain(std::vector<TaskChange> tasks) { return acts_->MaintainBundle({"", "", std::move(tasks)}, "TASK_SYNC"); }
  static TaskChange Create(std::string sender, std::string name) {
    TaskChange c;
    c.sender_id = std::move(sender);
    c.action = Action::kCreate;
    c.name = std::move(name);
    c.processor = PartyInput{"", "MC2471"};
    return c;
  }
  static AttachmentChange NewAttachment(std::string name, std::string category) {
    AttachmentChange a;
    a.action = Action::kCreate;
    a.name = std::move(name);
    a.category_code = std::move(category);
    return a;
  }
  static TaskChange Update(std::string id) {
    TaskChange c;
    c.action = Action::kUpdate;
    c.id = std::move(id);
    return c;
  }
  Task Get(const std::string& id) {
    auto t = acts_->FindTask(id);
    EXPECT_TRUE(t.ok() && t->has_value()) << id;
    return t.ok() && t->has_value() ? **t : Task{};
  }
  static TextChange Text(std::string sender, Action action, std::string type, std::optional<std::string> content,
                         std::optional<std::string> created_at = std::nullopt) {
    TextChange x;
    x.sender_id = std::move(sender);
    x.action = action;
    x.type_code = std::move(type);
    x.content = std::move(content);
    x.created_at = std::move(created_at);
    return x;
  }
  static ReferenceChange Ref(std::string sender, Action action, std::string id, std::string type,
                             std::optional<std::string> role = std::nullopt) {
    ReferenceChange r;
    r.sender_id = std::move(sender);
    r.action = action;
    r.id = std::move(id);
    r.type_code = std::move(type);
    r.role_code = std::move(role);
    return r;
  }
  static std::vector<std::string> Notes(const BundleResult& r) {
    std::vector<std::string> out;
    for (const auto& i : r.log) out.push_back(i.type_id + " " + i.sender_id + " " + i.note);
    return out;
  }

  std::filesystem::path dir_;
  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  std::unique_ptr<TaskActivities> acts_;
};

TEST_F(TaskActivitiesTest, CreateDrawsNumbersAndReturnsConfirmations) {
  BundleResult r = Maintain({Create("1", "A"), Create("2", "B")});
  ASSERT_EQ(r.confirmations.size(), 2u);
  EXPECT_EQ(r.processing_result_code, "3");
  EXPECT_TRUE(r.log.empty());
  EXPECT_FALSE(soap::a2x::MaxSeverity(r.log));
  EXPECT_EQ(r.confirmations[0].id, "1");
  EXPECT_EQ(r.confirmations[1].id, "2");
  EXPECT_EQ(r.confirmations[0].sender_id, "1");
  EXPECT_EQ(r.confirmations[0].uuid.size(), 36u);
  EXPECT_EQ(r.confirmations[0].change_state_id.size(), 22u);  // YYYYMMDDhhmmss.fffffff
  EXPECT_NE(r.confirmations[0].change_state_id, r.confirmations[1].change_state_id);
  Task a = Get("1");
  EXPECT_EQ(a.name, "A");
  EXPECT_EQ(a.priority_code, "3");
  EXPECT_EQ(a.life_cycle_status, "1");
  ASSERT_TRUE(a.processor);
  EXPECT_EQ(a.processor->employee_id, "E0001");
  EXPECT_EQ(a.created_by, "TASK_SYNC");
}

TEST_F(TaskActivitiesTest, EachTaskOnItsOwn) {
  TaskChange bad = Create("2", "B");
  bad.main_activity = PartyInput{"", "NOPE"};
  BundleResult r = Maintain({Create("1", "A"), bad, Create("3", "C")});
  EXPECT_EQ(r.processing_result_code, "4");
  ASSERT_EQ(r.confirmations.size(), 2u);
  EXPECT_EQ(r.confirmations[1].sender_id, "3");
  EXPECT_EQ(r.confirmations[1].id, "2");  // the failed task drew no number
  ASSERT_EQ(r.log.size(), 1u);
  EXPECT_EQ(Notes(r)[0], "004(CAUSEWAY/ACTIVITY) 2 Business partner NOPE does not exist");
  EXPECT_EQ(soap::a2x::MaxSeverity(r.log), LogSeverity::kError);
  EXPECT_EQ(Maintain({bad}).processing_result_code, "5");
}

struct ActionCase {
  const char* name;
  Action action;
  bool exists;
  const char* expected_log;  // "" = success
  bool confirmed;
  bool exists_after;
};

class ActionCodes : public TaskActivitiesTest, public ::testing::WithParamInterface<ActionCase> {};

TEST_P(ActionCodes, FollowTheA2xTable) {
  const ActionCase& ac = GetParam();
  const std::string uuid = "00163e02-8b2e-1ed1-aeaa-6d7e616e72fd";
  if (ac.exists) {
    TaskChange c = Create("0", "Existing");
    c.uuid = uuid;
    ASSERT_EQ(Maintain({c}).processing_result_code, "3");
  }
  TaskChange c;
  c.sender_id = "S";
  c.action = ac.action;
  c.uuid = uuid;
  c.name = "Changed";
  BundleResult r = Maintain({c});
  EXPECT_EQ(r.log.empty() ? std::string() : Notes(r)[0], ac.expected_log);
  EXPECT_EQ(r.confirmations.size(), ac.confirmed ? 1u : 0u);
  auto t = acts_->FindTask(uuid);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->has_value(), ac.exists_after);
  if (t->has_value()) {
    EXPECT_EQ((*t)->name, ac.action == Action::kNoAction || !ac.confirmed ? "Existing" : "Changed");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ActionCodes,
    ::testing::Values(
        ActionCase{"create_new", Action::kCreate, false, "", true, true},
        ActionCase{"create_existing", Action::kCreate, true,
                   "001(CAUSEWAY/ACTIVITY) S Activity task 00163e02-8b2e-1ed1-aeaa-6d7e616e72fd already exists", false, true},
        ActionCase{"update_existing", Action::kUpdate, true, "", true, true},
        ActionCase{"update_missing", Action::kUpdate, false,
                   "002(CAUSEWAY/ACTIVITY) S Activity task 00163e02-8b2e-1ed1-aeaa-6d7e616e72fd does not exist", false, false},
        ActionCase{"delete_existing", Action::kDelete, true, "", true, false},
        ActionCase{"delete_missing", Action::kDelete, false,
                   "002(CAUSEWAY/ACTIVITY) S Activity task 00163e02-8b2e-1ed1-aeaa-6d7e616e72fd does not exist", false, false},
        ActionCase{"save_existing", Action::kSave, true, "", true, true},
        ActionCase{"save_new_with_client_uuid", Action::kSave, false, "", true, true},
        ActionCase{"remove_existing", Action::kRemove, true, "", true, false},
        ActionCase{"remove_missing", Action::kRemove, false, "", false, false},
        ActionCase{"no_action", Action::kNoAction, true, "", true, true}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST_F(TaskActivitiesTest, StaleChangeStateChangesNothing) {
  BundleResult created = Maintain({Create("1", "A")});
  const std::string first_state = created.confirmations[0].change_state_id;
  TaskChange u = Update("1");
  u.change_state_id = first_state;
  u.name = "B";
  BundleResult r1 = Maintain({u});
  ASSERT_EQ(r1.confirmations.size(), 1u);
  EXPECT_NE(r1.confirmations[0].change_state_id, first_state);
  u.name = "C";
  u.sender_id = "X";
  BundleResult r2 = Maintain({u});  // the old change state again
  EXPECT_TRUE(r2.confirmations.empty());
  ASSERT_EQ(r2.log.size(), 1u);
  EXPECT_EQ(r2.log[0].type_id, "003(CAUSEWAY/ACTIVITY)");
  EXPECT_EQ(r2.log[0].sender_id, "X");
  EXPECT_EQ(Get("1").name, "B");
}

TEST_F(TaskActivitiesTest, ListCompleteTransmissionPerList) {
  TaskChange c = Create("1", "A");
  for (const char* p : {"MCP6049", "MCPB9785", "MCPC9785"}) c.reference_parties.items.push_back(PartyInput{"", p});
  ASSERT_EQ(Maintain({c}).processing_result_code, "3");
  TaskChange append = Update("1");
  append.reference_parties.items = {PartyInput{"", "MCP8300"}, PartyInput{"", "MCP60500"}};
  ASSERT_EQ(Maintain({append}).processing_result_code, "3");
  EXPECT_EQ(Get("1").reference_parties.size(), 5u);
  TaskChange replace = Update("1");
  replace.reference_parties.complete = true;
  for (const char* p : {"MCPB9785", "MCP17101", "MCP17102", "MDECP9786"}) replace.reference_parties.items.push_back(PartyInput{"", p});
  ASSERT_EQ(Maintain({replace}).processing_result_code, "3");
  std::vector<std::string> ids;
  for (const auto& p : Get("1").reference_parties) ids.push_back(p.business_partner_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"MCPB9785", "MCP17101", "MCP17102", "MDECP9786"}));
  // An empty complete list removes all; other lists stay untouched.
  TaskChange clear = Update("1");
  clear.reference_parties.complete = true;
  ASSERT_EQ(Maintain({clear}).processing_result_code, "3");
  EXPECT_TRUE(Get("1").reference_parties.empty());
  EXPECT_TRUE(Get("1").processor.has_value());
}

TEST_F(TaskActivitiesTest, TextsAndReferences) {
  TaskChange c = Create("1", "A");
  c.texts.items = {Text("t1", Action::kCreate, "10002", "Body"),
                   Text("t2", Action::kCreate, "10011", "First", "2012-06-30T12:45:00Z")};
  c.references.items = {Ref("r1", Action::kCreate, "4711", "72", "2"), Ref("r2", Action::kCreate, "99", "764", "2")};
  ASSERT_EQ(Maintain({c}).processing_result_code, "3");
  Task t = Get("1");
  ASSERT_EQ(t.texts.size(), 2u);
  ASSERT_EQ(t.references.size(), 2u);
  EXPECT_EQ(t.references[1].role_code, "1");  // campaigns are predecessors
  TaskChange u;
  u.action = Action::kNoAction;
  u.id = "1";
  u.texts.items = {Text("t3", Action::kCreate, "10002", "Second body"), Text("t4", Action::kCreate, "10099", "x")};
  u.references.items = {Ref("r3", Action::kDelete, "1234", "72")};
  BundleResult r = Maintain({u});
  EXPECT_EQ(r.processing_result_code, "5");
  std::vector<std::string> senders;
  for (const auto& i : r.log) senders.push_back(i.sender_id + ":" + i.type_id);
  // A text of a type tasks do not have is refused before the list is changed.
  EXPECT_EQ(senders, (std::vector<std::string>{"r3:013(CAUSEWAY/ACTIVITY)", "t4:011(CAUSEWAY/ACTIVITY)",
                                               "t3:012(CAUSEWAY/ACTIVITY)"}));
  EXPECT_EQ(Get("1").texts.size(), 2u);
}

TEST_F(TaskActivitiesTest, LifeCycleTransitions) {
  ASSERT_EQ(Maintain({Create("1", "A")}).processing_result_code, "3");
  TaskChange u = Update("1");
  u.life_cycle_status = "3";
  ASSERT_EQ(Maintain({u}).processing_result_code, "3");
  EXPECT_EQ(Get("1").completion_percent, "100");
  u.life_cycle_status = "1";
  BundleResult r = Maintain({u});
  ASSERT_EQ(r.log.size(), 1u);
  EXPECT_EQ(r.log[0].note, "Status change from 3 to 1 is not allowed");
}

TEST_F(TaskActivitiesTest, CompletionPercentCorrespondsWithTheStatus) {
  ASSERT_EQ(Maintain({Create("1", "A"), Create("2", "B")}).processing_result_code, "3");
  // Completing makes it 100, whatever percentage came with it.
  TaskChange u = Update("1");
  u.life_cycle_status = "3";
  u.completion_percent = "50";
  ASSERT_EQ(Maintain({u}).processing_result_code, "3");
  EXPECT_EQ(Get("1").life_cycle_status, "3");
  EXPECT_EQ(Get("1").completion_percent, "100");
  // 100 per cent of an open task completes it; a lower one leaves the status alone.
  TaskChange p = Update("2");
  p.completion_percent = "50";
  ASSERT_EQ(Maintain({p}).processing_result_code, "3");
  EXPECT_EQ(Get("2").life_cycle_status, "1");
  p.completion_percent = "100.0";
  ASSERT_EQ(Maintain({p}).processing_result_code, "3");
  EXPECT_EQ(Get("2").life_cycle_status, "3");
  EXPECT_EQ(Get("2").completion_percent, "100");
}

TEST_F(TaskActivitiesTest, ProcessorAndResponsibleByEmailMustBeEmployees) {
  TaskChange employee = Create("e", "by an employee's address");
  employee.processor = PartyInput{"", "", "", "mia.carter@example.com"};
  employee.responsible = PartyInput{"", "", "", "mia.carter@example.com"};
  TaskChange contact = Create("c", "by a contact's address");
  contact.processor = PartyInput{"", "", "", "paula.chen@example.com"};
  TaskChange nobody = Create("n", "by an unknown address");
  nobody.responsible = PartyInput{"", "", "", "nobody@example.com"};
  BundleResult r = Maintain({employee, contact, nobody});
  EXPECT_EQ(
      Notes(r),
      (std::vector<std::string>{
          "006(CAUSEWAY/ACTIVITY) c Business partner MCP6049 is not an employee; the processor must be an employee",
          "020(CAUSEWAY/ACTIVITY) n E-mail address nobody@example.com identifies no employee; the employee "
          "responsible must be an employee"}));
  ASSERT_EQ(r.confirmations.size(), 1u);
  Task t = Get(r.confirmations[0].id);
  EXPECT_EQ(t.processor->business_partner_id, "MC2471");
  EXPECT_EQ(t.responsible->business_partner_id, "MC2471");
}

TEST_F(TaskActivitiesTest, CommentsWithoutCreationTimeStayApart) {
  TaskChange c = Create("1", "A");
  c.texts.items = {Text("t1", Action::kCreate, "10011", "first"), Text("t2", Action::kCreate, "10011", "second")};
  ASSERT_EQ(Maintain({c}).processing_result_code, "3");
  Task t = Get("1");
  ASSERT_EQ(t.texts.size(), 2u);
  EXPECT_NE(t.texts[0].created_at, t.texts[1].created_at);
  EXPECT_EQ(t.texts[0].created_at, "2024-05-01T08:00:00.0000000Z");
  // Each can be addressed on its own by its stamp.
  TaskChange u = Update("1");
  u.texts.items = {Text("t3", Action::kUpdate, "10011", "second, edited", t.texts[1].created_at)};
  ASSERT_EQ(Maintain({u}).processing_result_code, "3");
  t = Get("1");
  ASSERT_EQ(t.texts.size(), 2u);
  EXPECT_EQ(t.texts[0].content, "first");
  EXPECT_EQ(t.texts[1].content, "second, edited");
  // A later request in the same instant does not take a stamp that is in use.
  TaskChange more = Update("1");
  more.texts.items = {Text("t4", Action::kCreate, "10011", "third")};
  ASSERT_EQ(Maintain({more}).processing_result_code, "3");
  EXPECT_EQ(Get("1").texts.size(), 3u);
}

TEST_F(TaskActivitiesTest, ActivityUnitAndTheAttachmentFoldersOwnActionCode) {
  TaskChange c = Create("1", "A");
  c.activity_unit = "S1000";
  c.attachment_folder_present = true;
  AttachmentChange a = NewAttachment("note.txt", "3");
  a.link_uri = "https://example.com/x";
  c.attachments.items = {a, a};
  ASSERT_EQ(Maintain({c}).processing_result_code, "3");
  Task t = Get("1");
  EXPECT_EQ(t.activity_unit, "S1000");
  ASSERT_EQ(t.attachments.size(), 2u);
  TaskChange keep = Update("1");
  keep.attachment_folder_present = true;
  keep.attachment_folder_action = Action::kNoAction;
  keep.attachments.complete = true;  // 06 on the folder: its list is left as it is
  ASSERT_EQ(Maintain({keep}).processing_result_code, "3");
  EXPECT_EQ(Get("1").attachments.size(), 2u);
  for (Action folder : {Action::kDelete, Action::kRemove}) {
    TaskChange drop = Update("1");
    drop.attachment_folder_present = true;
    drop.attachment_folder_action = folder;
    ASSERT_EQ(Maintain({drop}).processing_result_code, "3");
    EXPECT_TRUE(Get("1").attachments.empty());
  }
  TaskChange no_unit = Update("1");
  no_unit.activity_unit = "";
  ASSERT_EQ(Maintain({no_unit}).processing_result_code, "3");
  EXPECT_EQ(Get("1").activity_unit, "");
}

TEST_F(TaskActivitiesTest, CheckDrawsNoNumberAndWritesNothing) {
  BundleResult check = acts_->CheckMaintainBundle({"", "", {Create("1", "A")}}, "TASK_SYNC");
  ASSERT_EQ(check.confirmations.size(), 1u);
  EXPECT_EQ(check.confirmations[0].id, "");
  EXPECT_EQ(acts_->ListTasks(0, 10)->size(), 0u);
  TaskChange bad = Create("2", "B");
  bad.processor = PartyInput{"", "MC9785"};  // an account, not an employee
  BundleResult r = acts_->CheckMaintainBundle({"", "", {bad}}, "TASK_SYNC");
  ASSERT_EQ(r.log.size(), 1u);
  EXPECT_EQ(r.log[0].note, "Business partner MC9785 is not an employee; the processor must be an employee");
  BundleResult real = Maintain({Create("1", "A")});
  EXPECT_EQ(real.confirmations[0].id, "1");
}

TEST_F(TaskActivitiesTest, ScheduledPeriodRules) {
  TaskChange c = Create("1", "A");
  c.period = PeriodInput{"2012-06-30T12:00:00Z", "CET", std::nullopt, std::nullopt};
  EXPECT_EQ(Maintain({c}).log.at(0).type_id, "008(CAUSEWAY/ACTIVITY)");
  c.period = PeriodInput{"2012-06-30T12:00:00Z", "CET", "2012-06-28T12:00:00.0000000Z", "CET"};
  EXPECT_EQ(Maintain({c}).log.at(0).type_id, "009(CAUSEWAY/ACTIVITY)");
  c.period = PeriodInput{"2012-06-28T12:00:00.0000000Z", "CET", "2012-06-30T12:00:00.0000000Z", "CET"};
  ASSERT_EQ(Maintain({c}).processing_result_code, "3");
  EXPECT_EQ(Get("1").period->end_time_zone, "CET");
}

// Tasks created without a UUID get time-ordered ones (version 7, the creation time in the
// first 48 bits), so that their unique index grows at its end.
TEST_F(TaskActivitiesTest, NewTasksGetTimeOrderedUuids) {
  BundleResult r = Maintain({Create("1", "A"), Create("2", "B")});
  ASSERT_EQ(r.confirmations.size(), 2u);
  for (const Confirmation& c : r.confirmations) {
    ASSERT_EQ(c.uuid.size(), 36u);
    EXPECT_EQ(c.uuid[14], '7') << c.uuid;
    // 1714550400000 ms = 0x018f332ae400
    EXPECT_EQ(c.uuid.substr(0, 13), "018f332a-e400") << c.uuid;
  }
  EXPECT_NE(r.confirmations[0].uuid, r.confirmations[1].uuid);
}

// The bundle inside a caller's transaction: its writes commit or roll back with the caller's.
TEST_F(TaskActivitiesTest, BundleInsideTheCallersTransaction) {
  BundleResult inside;
  Status st = db_->Write([&](store::Tx& tx) -> Status {
    CW_ASSIGN_OR_RETURN(inside, acts_->MaintainBundle(tx, {"", "", {Create("1", "A")}}, "TASK_SYNC"));
    return tx.Exec("UPDATE activity_number_ranges SET next_number = next_number WHERE object = 'TASK'");
  });
  ASSERT_TRUE(st.ok()) << st.error().text;
  ASSERT_EQ(inside.confirmations.size(), 1u);
  EXPECT_EQ(inside.confirmations[0].id, "1");
  EXPECT_EQ(Get("1").name, "A");

  st = db_->Write([&](store::Tx& tx) -> Status {
    CW_ASSIGN_OR_RETURN(inside, acts_->MaintainBundle(tx, {"", "", {Create("2", "B")}}, "TASK_SYNC"));
    EXPECT_EQ(inside.confirmations.at(0).id, "2");
    return core::MakeError(core::Code::kInternal, "TEST", "001", "the caller fails");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(acts_->ListTasks(0, 10)->size(), 1u);  // rolled back with the caller, number too
  EXPECT_EQ(Maintain({Create("3", "C")}).confirmations.at(0).id, "2");

  BundleResult checked;
  ASSERT_TRUE(db_->Write([&](store::Tx& tx) -> Status {
                   CW_ASSIGN_OR_RETURN(checked, acts_->CheckMaintainBundle(tx, {"", "", {Create("4", "D")}}, "TASK_SYNC"));
                   return Status::Ok();
                 }).ok());
  ASSERT_EQ(checked.confirmations.size(), 1u);
  EXPECT_EQ(checked.confirmations[0].id, "");
  EXPECT_EQ(acts_->ListTasks(0, 10)->size(), 2u);
}

TEST_F(TaskActivitiesTest, NotSavedMakesEveryTaskATechnicalError) {
  BundleResult r = TaskActivities::NotSaved({"", "", {Create("1", "A"), Create("2", "B")}},
                                            core::MakeError(core::Code::kInternal, "CAUSEWAY/STORE", "006", "disk gone"));
  EXPECT_TRUE(r.confirmations.empty());
  EXPECT_EQ(r.processing_result_code, "5");
  EXPECT_EQ(soap::a2x::MaxSeverity(r.log), LogSeverity::kError);
  EXPECT_EQ(Notes(r), (std::vector<std::string>{
                          "CAUSEWAY/STORE/006 1 Technical error; the activity task was not saved: disk gone",
                          "CAUSEWAY/STORE/006 2 Technical error; the activity task was not saved: disk gone"}));
}

// Partners are looked up once per bundle, and a bundle sees the master data as it is then.
TEST_F(TaskActivitiesTest, PartnerLookupsPerBundle) {
  TaskChange by_mail = Create("3", "C");
  by_mail.main_activity = PartyInput{"", "", "", "nobody@example.com"};
  BundleResult r = Maintain({Create("1", "A"), Create("2", "B"), by_mail});
  ASSERT_EQ(r.confirmations.size(), 3u);
  EXPECT_EQ(Get("2").processor->employee_id, "E0001");
  EXPECT_EQ(Get("3").main_activity->email, "nobody@example.com");
  auto partners = acts_->ListPartners();
  ASSERT_TRUE(partners.ok());
  Partner p;
  for (const Partner& x : *partners)
    if (x.id == "MC2471") p = x;
  ASSERT_EQ(p.id, "MC2471");
  p.name = "Renamed";
  ASSERT_TRUE(acts_->UpsertPartner(p).ok());
  ASSERT_EQ(Maintain({Create("4", "D"), Create("5", "E")}).confirmations.size(), 2u);
  EXPECT_EQ(Get("4").processor->name, "Renamed");
  EXPECT_EQ(Get("5").processor->name, "Renamed");
  EXPECT_NE(Get("1").processor->name, "Renamed");
}

// The number range as a bundle uses it: read once, drawn in memory, written back once; what a
// rolled-back transaction drew is drawn again.
TEST_F(TaskActivitiesTest, NumberRangeDrawsInOrderAndWritesBackOnce) {
  auto draw = [&](int n, bool commit) {
    std::vector<int64_t> got;
    Status st = db_->Write([&](store::Tx& tx) -> Status {
      got.clear();
      tasks::NumberRange range(tx, "TASK");
      CW_RETURN_IF_ERROR(range.Open());
      for (int i = 0; i < n; ++i) {
        CW_ASSIGN_OR_RETURN(int64_t next, range.Next());
        got.push_back(next);
        if (i % 2 == 0) range.Take();  // odd draws are "rolled back" by their task
      }
      CW_RETURN_IF_ERROR(range.Close());
      if (!commit) return core::MakeError(core::Code::kInternal, "TEST", "001", "roll back");
      return Status::Ok();
    });
    EXPECT_EQ(st.ok(), commit);
    return got;
  };
  EXPECT_EQ(draw(4, true), (std::vector<int64_t>{1, 2, 2, 3}));
  EXPECT_EQ(draw(1, false), (std::vector<int64_t>{3}));
  EXPECT_EQ(draw(1, true), (std::vector<int64_t>{3}));
  EXPECT_EQ(Maintain({Create("1", "A")}).confirmations.at(0).id, "4");

  Status st = db_->Write([&](store::Tx& tx) -> Status {
    tasks::NumberRange missing(tx, "NOPE");
    CW_RETURN_IF_ERROR(missing.Open());
    auto next = missing.Next();
    EXPECT_FALSE(next.ok());
    if (!next.ok()) {
      EXPECT_EQ(next.error().GatewayCode(), "CAUSEWAY/ACTIVITY/901");
    }
    return missing.Close();
  });
  EXPECT_TRUE(st.ok());
}

// A transaction whose INSERT of a task named "BOOM" fails (a statement the store refuses), and
// that counts the per-task savepoints it is asked for.
class FailingInsert final : public store::Tx {
 public:
  explicit FailingInsert(store::Tx& inner) : inner_(inner) {}
  Status Exec(std::string_view sql, std::span<const store::Value> params, int64_t* changed) override {
    if (sql.starts_with("SAVEPOINT activity_task")) ++task_savepoints;
    if (sql.starts_with("INSERT INTO activity_tasks") && params.size() > 3 &&
        std::get<std::string>(params[3]) == "BOOM")
      return core::MakeError(core::Code::kInternal, "CAUSEWAY/STORE", "001", "statement failed (disk I/O error)");
    return inner_.Exec(sql, params, changed);
  }
  Status Query(std::string_view sql, std::span<const store::Value> params,
               const std::function<void(const store::Row&)>& on_row) override {
    return inner_.Query(sql, params, on_row);
  }
  int task_savepoints = 0;

 private:
  store::Tx& inner_;
};

// Tasks run without a savepoint each; only when a statement fails is the bundle run again with
// one per task, so that exactly the failing task fails and the others are saved, numbered in order.
TEST_F(TaskActivitiesTest, AStoreErrorFailsOnlyItsTask) {
  BundleResult ok, mixed;
  int ok_savepoints = -1, mixed_savepoints = -1;
  ASSERT_TRUE(db_->Write([&](store::Tx& tx) -> Status {
                   FailingInsert failing(tx);
                   CW_ASSIGN_OR_RETURN(ok, acts_->MaintainBundle(failing, {"", "", {Create("1", "A"), Create("2", "B")}}, "U"));
                   ok_savepoints = failing.task_savepoints;
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(ok_savepoints, 0);
  EXPECT_EQ(ok.processing_result_code, "3");
  ASSERT_TRUE(db_->Write([&](store::Tx& tx) -> Status {
                   FailingInsert failing(tx);
                   CW_ASSIGN_OR_RETURN(mixed, acts_->MaintainBundle(
                                                  failing, {"", "", {Create("3", "C"), Create("4", "BOOM"), Create("5", "E")}}, "U"));
                   mixed_savepoints = failing.task_savepoints;
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(mixed_savepoints, 3) << "run again with a savepoint per task";
  EXPECT_EQ(mixed.processing_result_code, "4");
  ASSERT_EQ(mixed.confirmations.size(), 2u);
  EXPECT_EQ(mixed.confirmations[0].id, "3");
  EXPECT_EQ(mixed.confirmations[1].sender_id, "5");
  EXPECT_EQ(mixed.confirmations[1].id, "4") << "the failed task drew no number";
  EXPECT_EQ(Notes(mixed), (std::vector<std::string>{"CAUSEWAY/STORE/001 4 Technical error; the activity task was not "
                                                     "saved: statement failed (disk I/O error)"}));
  std::vector<std::string> names;
  auto stored = acts_->ListTasks(0, 10);
  ASSERT_TRUE(stored.ok());
  for (const Task& t : *stored) names.push_back(t.name);
  EXPECT_EQ(names, (std::vector<std::string>{"A", "B", "C", "E"}));
  EXPECT_EQ(Maintain({Create("6", "F")}).confirmations.at(0).id, "5");
}

// Migration 0401 rebuilds the task table on SQLite (the number as rowid, no changed_at index):
// tasks stored before it are all there afterwards, found by ID and UUID, and numbering goes on.
TEST_F(TaskActivitiesTest, TheLeanTableKeepsTasksStoredBefore) {
  acts_.reset();
  db_.reset();
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "b.db").string()});
  ASSERT_TRUE(db.ok());
  db_ = std::move(db).value();
  std::vector<store::Migration> before;
  for (const auto& m : ActivityMigrations())
    if (m.version < 401) before.push_back(m);
  ASSERT_EQ(before.size(), ActivityMigrations().size() - 1);
  ASSERT_TRUE(store::Migrate(*db_, before).ok());
  acts_ = std::make_unique<TaskActivities>(*db_, clock_);
  ASSERT_TRUE(acts_->SeedDemoPartners().ok());
  BundleResult old = Maintain({Create("1", "A"), Create("2", "B")});
  ASSERT_EQ(old.confirmations.size(), 2u);

  Status migrated = store::Migrate(*db_, ActivityMigrations());
  ASSERT_TRUE(migrated.ok()) << migrated.error().text;
  EXPECT_EQ(Get("2").name, "B");
  EXPECT_EQ(Get(old.confirmations[0].uuid).name, "A");
  EXPECT_EQ(Maintain({Create("3", "C")}).confirmations.at(0).id, "3");
  int64_t indexes = -1;
  ASSERT_TRUE(db_->Read([&](store::Tx& tx) {
                   return tx.Query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'activity_tasks' "
                                   "AND name = 'activity_tasks_changed'",
                                   {}, [&](const store::Row& r) { indexes = r.Int(0); });
                 }).ok());
  EXPECT_EQ(indexes, 0);
}

// Action code 06 on a child node leaves it as it is (spec A.3.1), also when it carries leaves,
// and keeps it in a list transmitted complete; other children of that list go.
TEST_F(TaskActivitiesTest, NoActionOnAChildLeavesItAsItIs) {
  TaskChange c = Create("1", "A");
  c.texts.items = {Text("t1", Action::kCreate, "10002", "Body"),
                   Text("t2", Action::kCreate, "10011", "Comment", "2012-06-30T12:45:00Z")};
  c.references.items = {Ref("r1", Action::kCreate, "4711", "72", "2"), Ref("r2", Action::kCreate, "4712", "72", "2")};
  ASSERT_EQ(Maintain({c}).processing_result_code, "3");
  TaskChange u;
  u.action = Action::kNoAction;
  u.id = "1";
  u.texts.complete = true;
  u.texts.items = {Text("t1", Action::kNoAction, "10002", "Not this")};
  u.references.complete = true;
  u.references.items = {Ref("r1", Action::kNoAction, "4711", "72", "9")};
  BundleResult r = Maintain({u});
  ASSERT_EQ(r.processing_result_code, "3") << ::testing::PrintToString(Notes(r));
  Task t = Get("1");
  ASSERT_EQ(t.texts.size(), 1u);
  EXPECT_EQ(t.texts[0].content, "Body");
  ASSERT_EQ(t.references.size(), 1u);
  EXPECT_EQ(t.references[0].id, "4711");
  EXPECT_EQ(t.references[0].role_code, "2");
  // 06 on a child that does not exist is an error, as for the root.
  u.texts.items = {Text("t9", Action::kNoAction, "10011", std::nullopt, "2020-01-01T00:00:00Z")};
  u.references.items.clear();
  u.references.complete = false;
  EXPECT_EQ(Notes(Maintain({u})), (std::vector<std::string>{
                                      "018(CAUSEWAY/ACTIVITY) t9 Text of type 10011 does not exist in activity task 1"}));
}

// Changing a child node changes the leaves that were sent; a leaf not sent keeps its value.
TEST_F(TaskActivitiesTest, AChildLeafNotSentKeepsItsValue) {
  TaskChange c = Create("1", "A");
  TextChange body = Text("t1", Action::kCreate, "10002", "Body");
  body.language = "EN";
  c.texts.items = {body};
  c.references.items = {Ref("r1", Action::kCreate, "4711", "72", "2")};
  c.attachment_folder_present = true;
  AttachmentChange doc = NewAttachment("spec.pdf", "2");
  doc.uuid = "00163e02-8b2e-1ed1-aeaa-000000000001";
  doc.description = "The spec";
  doc.visible = false;
  doc.content_base64 = "SGVsbG8=";
  c.attachments.items = {doc};
  ASSERT_EQ(Maintain({c}).processing_result_code, "3");

  TaskChange u = Update("1");
  TextChange language_only;
  language_only.action = Action::kUpdate;
  language_only.type_code = "10002";
  language_only.language = "DE";
  u.texts.items = {language_only};
  u.references.items = {Ref("r1", Action::kUpdate, "4711", "72")};
  u.attachment_folder_present = true;
  AttachmentChange rename;
  rename.action = Action::kUpdate;
  rename.uuid = "00163E02-8B2E-1ED1-AEAA-000000000001";
  rename.name = "spec-v2.pdf";
  u.attachments.items = {rename};
  ASSERT_EQ(Maintain({u}).processing_result_code, "3");

  Task t = Get("1");
  ASSERT_EQ(t.texts.size(), 1u);
  EXPECT_EQ(t.texts[0].content, "Body");
  EXPECT_EQ(t.texts[0].language, "DE");
  ASSERT_EQ(t.references.size(), 1u);
  EXPECT_EQ(t.references[0].role_code, "2");
  ASSERT_EQ(t.attachments.size(), 1u);
  EXPECT_EQ(t.attachments[0].name, "spec-v2.pdf");
  EXPECT_EQ(t.attachments[0].description, "The spec");
  EXPECT_FALSE(t.attachments[0].visible);
  EXPECT_EQ(t.attachments[0].content_base64, "SGVsbG8=");
  // An element sent empty is a value: the description is cleared.
  rename.description = "";
  u.texts.items.clear();
  u.references.items.clear();
  u.attachments.items = {rename};
  ASSERT_EQ(Maintain({u}).processing_result_code, "3");
  EXPECT_EQ(Get("1").attachments.at(0).description, "");
}

// A change that changes nothing writes nothing: the ChangeStateID stays (and a client that
// sends it next time is not told the task changed in the meantime).
TEST_F(TaskActivitiesTest, AChangeThatChangesNothingKeepsTheChangeState) {
  BundleResult created = Maintain({Create("1", "A")});
  const std::string state = created.confirmations.at(0).change_state_id;
  clock_.Advance(std::chrono::seconds(5));
  TaskChange touch;
  touch.sender_id = "T";
  touch.action = Action::kNoAction;
  touch.id = "1";
  BundleResult r = Maintain({touch});
  ASSERT_EQ(r.confirmations.size(), 1u);
  EXPECT_EQ(r.confirmations[0].change_state_id, state);
  TaskChange same = Update("1");
  same.name = "A";
  same.change_state_id = state;
  EXPECT_EQ(Maintain({same}).confirmations.at(0).change_state_id, state);
  EXPECT_EQ(Get("1").changed_at, core::FromUnixMillis(1714550400000));
  same.name = "B";
  EXPECT_NE(Maintain({same}).confirmations.at(0).change_state_id, state);
}

// A check sees what earlier tasks of the same bundle would have done, as the maintain does.
TEST_F(TaskActivitiesTest, ACheckSeesTheEarlierTasksOfItsBundle) {
  const std::string uuid = "00163e02-8b2e-1ed1-aeaa-6d7e616e7201";
  TaskChange create = Create("1", "A");
  create.uuid = uuid;
  TaskChange update;
  update.sender_id = "2";
  update.action = Action::kUpdate;
  update.uuid = uuid;
  update.name = "B";
  TaskChange remove;
  remove.sender_id = "3";
  remove.action = Action::kDelete;
  remove.uuid = uuid;
  BundleResult check = acts_->CheckMaintainBundle({"", "", {create, update}}, "TASK_SYNC");
  EXPECT_EQ(check.processing_result_code, "3") << ::testing::PrintToString(Notes(check));
  BundleResult gone = acts_->CheckMaintainBundle({"", "", {create, remove, update}}, "TASK_SYNC");
  EXPECT_EQ(gone.processing_result_code, "4");
  EXPECT_EQ(Notes(gone), (std::vector<std::string>{"002(CAUSEWAY/ACTIVITY) 2 Activity task " + uuid + " does not exist"}));
  EXPECT_EQ(acts_->ListTasks(0, 10)->size(), 0u);
  BundleResult maintained = Maintain({create, remove, update});
  EXPECT_EQ(Notes(maintained), Notes(gone));
}

// A Log note is cut at 200 characters, not bytes: a cut inside a UTF-8 sequence made the
// response (and its stored idempotent copy) invalid.
TEST_F(TaskActivitiesTest, ALongNoteIsCutAtACharacter) {
  TaskChange c = Create("1", "A");
  std::string id;
  for (int i = 0; i < 250; ++i) id += "\xc3\xa9";  // é
  c.processor = PartyInput{"", id};
  BundleResult r = Maintain({c});
  ASSERT_EQ(r.log.size(), 1u);
  const std::string& note = r.log[0].note;
  EXPECT_EQ(note, "Business partner " + id.substr(0, 2 * (200 - 17)));
}

}  // namespace
}  // namespace causeway::activities
