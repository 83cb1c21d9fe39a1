// Two nodes (two stores on one database) maintaining the same task at once, on both back ends.
#include <gtest/gtest.h>

#include <thread>

#include "domain/activities/task_activities.h"
#include "domain/activities/task_repository.h"
#include "store/backend_fixture.h"
#include "store/migration.h"

namespace causeway::activities {
namespace {

using store::testing::BackendTest;

class TaskActivitiesNodesTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(store::Migrate(*db_, ActivityMigrations()).ok());
    acts_ = std::make_unique<TaskActivities>(*db_, clock_);
    ASSERT_TRUE(acts_->SeedDemoPartners().ok());
  }
  void TearDown() override {
    acts_.reset();
    BackendTest::TearDown();
  }

  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};
  std::unique_ptr<TaskActivities> acts_;
};

// Each node sends the ChangeStateID both read: exactly one change wins, the other is told the
// task changed in the meantime (003). On PostgreSQL the task's row is locked from the check to
// the commit (without that both passed the check and the later write silently undid the first);
// SQLite's one writer serialises anyway.
TEST_P(TaskActivitiesNodesTest, TwoNodesChangingOneTaskAtOnceDoNotBothWin) {
  auto other_db = OpenNode();
  ASSERT_NE(other_db, nullptr);
  TaskActivities other(*other_db, clock_);
  TaskChange create;
  create.action = Action::kCreate;
  create.name = "Shared";
  ASSERT_EQ(acts_->MaintainBundle({"", "", {create}}, "U").processing_result_code, "3");
  for (int round = 0; round < 20; ++round) {
    auto current = acts_->FindTask("1");
    ASSERT_TRUE(current.ok() && current->has_value());
    TaskChange a;
    a.sender_id = "A";
    a.action = Action::kUpdate;
    a.id = "1";
    a.change_state_id = (*current)->change_state_id;
    a.name = "A" + std::to_string(round);
    TaskChange b = a;
    b.sender_id = "B";
    b.name = "B" + std::to_string(round);
    BundleResult ra, rb;
    std::thread ta([&] { ra = acts_->MaintainBundle({"", "", {a}}, "U"); });
    std::thread tb([&] { rb = other.MaintainBundle({"", "", {b}}, "U"); });
    ta.join();
    tb.join();
    ASSERT_EQ(ra.confirmations.size() + rb.confirmations.size(), 1u) << "round " << round;
    const BundleResult& lost = ra.confirmations.empty() ? ra : rb;
    ASSERT_EQ(lost.log.size(), 1u);
    EXPECT_EQ(lost.log[0].type_id, "003(CAUSEWAY/ACTIVITY)");
    const std::string winner = ra.confirmations.empty() ? b.name.value() : a.name.value();
    EXPECT_EQ(acts_->FindTask("1")->value().name, winner);
  }
}

CW_STORE_BACKENDS(TaskActivitiesNodesTest);

}  // namespace
}  // namespace causeway::activities
