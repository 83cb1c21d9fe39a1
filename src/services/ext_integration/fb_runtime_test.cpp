#include "services/ext_integration/fb_runtime.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "domain/workitems/demo_data.h"
#include "domain/workitems/object_repository.h"
#include "exchange/testing/fake_http_client.h"
#include "services/ext_integration/payload_builder.h"
#include "services/ext_integration/push_kinds.h"
#include "store/migration.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::services::ext_integration {
namespace {

namespace fs = std::filesystem;

// One node's Focused Build runtime: its own outbox and domain over the shared store.
struct Node {
  Node(store::Database& db, const core::Clock& clock) {
    outbox = std::move(exchange::Outbox::Open(db, clock, http,
                                              {.kinds = PushKinds(context), .stop_timeout = std::chrono::seconds(2)}))
                 .value();
    rt.db = &db;
    rt.clock = &clock;
    rt.outbox = outbox.get();
    rt.builder = std::make_unique<JsonPayloadBuilder>();
    rt.items = std::make_unique<workitems::WorkItems>(db, clock, outbox.get(), *rt.builder,
                                                      workitems::WorkItemsOptions{.sap_client = "100"});
    EXPECT_TRUE(rt.items->Open().ok());
  }
  ~Node() {
    outbox->Stop();
    rt.items.reset();
  }
  std::string DestinationUrl(const std::string& name) const {
    for (const auto& d : outbox->Destinations())
      if (d.name == name) return d.base_url;
    return "(none)";
  }
  std::string InboundStatus(const std::string& external) const {
    for (const auto& profile : rt.items->customizing()->profiles)
      for (const auto& t : profile.process_types)
        for (const auto& m : t.inbound_status)
          if (m.external_status == external) return m.internal_status;
    return "(none)";
  }

  exchange::testing::FakeHttpClient http;
  std::shared_ptr<SendContext> context = std::make_shared<SendContext>();
  std::unique_ptr<exchange::Outbox> outbox;
  FbRuntime rt;
};

class FbRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cw_fbrt_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = std::move(store::sqlite::SqliteDatabase::Open({.path = (dir_ / "fb.db").string()})).value();
    ASSERT_TRUE(store::Migrate(*db_, workitems::WorkItemMigrations()).ok());
    a_ = std::make_unique<Node>(*db_, clock_);
    b_ = std::make_unique<Node>(*db_, clock_);
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};
  fs::path dir_;
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  std::unique_ptr<Node> a_, b_;
};

workitems::Customizing Moved() {
  workitems::Customizing c = workitems::DemoCustomizing("http://127.0.0.1:9/moved");
  for (auto& t : c.profiles.front().process_types)
    if (t.process_type == "S1IT") t.inbound_status.push_back({"Parked by the tool", "E0004"});
  return c;
}

// A customizing stored by one node becomes the other's at its next refresh: the status mapping
// the inbound service reads and the outbox destination pushes go to (whichever node claims them).
TEST_F(FbRuntimeTest, ACustomizingAnotherNodeStoredIsAppliedAtTheNextRefresh) {
  ASSERT_TRUE(a_->rt.ApplyCustomizing(workitems::DemoCustomizing("http://127.0.0.1:9/tool"), "ADMIN").ok());
  ASSERT_TRUE(b_->rt.Refresh().ok());
  EXPECT_EQ(b_->DestinationUrl("JIRA_DEMO"), "http://127.0.0.1:9/tool");
  EXPECT_EQ(b_->InboundStatus("Parked by the tool"), "(none)");

  ASSERT_TRUE(a_->rt.ApplyCustomizing(Moved(), "ADMIN").ok());
  EXPECT_EQ(a_->DestinationUrl("JIRA_DEMO"), "http://127.0.0.1:9/moved");
  EXPECT_EQ(b_->DestinationUrl("JIRA_DEMO"), "http://127.0.0.1:9/tool");  // not yet
  ASSERT_TRUE(b_->rt.Refresh().ok());
  EXPECT_EQ(b_->DestinationUrl("JIRA_DEMO"), "http://127.0.0.1:9/moved");
  EXPECT_EQ(b_->InboundStatus("Parked by the tool"), "E0004");
  // The refresh applied what was stored; it stored nothing itself.
  auto stored = b_->rt.items->StoredCustomizing();
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->changed_by, "ADMIN");
}

TEST_F(FbRuntimeTest, ARefreshWithoutAChangeKeepsTheSnapshot) {
  ASSERT_TRUE(a_->rt.ApplyCustomizing(Moved(), "ADMIN").ok());
  auto mine = a_->rt.items->customizing();
  ASSERT_TRUE(a_->rt.Refresh().ok());  // its own change: nothing to apply
  EXPECT_EQ(a_->rt.items->customizing(), mine);
  ASSERT_TRUE(b_->rt.Refresh().ok());
  auto theirs = b_->rt.items->customizing();
  ASSERT_TRUE(b_->rt.Refresh().ok());
  EXPECT_EQ(b_->rt.items->customizing(), theirs);
}

TEST_F(FbRuntimeTest, AStoredDocumentThatCannotBeReadKeepsWhatIsInUse) {
  ASSERT_TRUE(a_->rt.ApplyCustomizing(Moved(), "ADMIN").ok());
  ASSERT_TRUE(b_->rt.Refresh().ok());
  auto in_use = b_->rt.items->customizing();
  ASSERT_TRUE(db_->Write([&](store::Tx& tx) {
                   return workitems::repo::StoreCustomizing(tx, "current", {"{not json", clock_.Now(), "SOMEONE"});
                 })
                  .ok());
  core::Status st = b_->rt.Refresh();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(b_->rt.items->customizing(), in_use);
  EXPECT_EQ(b_->DestinationUrl("JIRA_DEMO"), "http://127.0.0.1:9/moved");
}

// A change derived from an older stored customizing (a section merged into it) must not undo a
// change stored meanwhile: refused with CAUSEWAY/FB/017, nothing changes, whether the newer one
// came from another node (the store decides) or from this one.
TEST_F(FbRuntimeTest, AChangeBasedOnAnOlderCustomizingIsRefusedAndChangesNothing) {
  ASSERT_TRUE(a_->rt.ApplyCustomizing(workitems::DemoCustomizing("http://127.0.0.1:9/tool"), "ADMIN").ok());
  ASSERT_TRUE(b_->rt.Refresh().ok());
  auto [b_current, b_based_on] = b_->rt.Current();
  EXPECT_FALSE(b_based_on.empty());
  ASSERT_TRUE(a_->rt.ApplyCustomizing(Moved(), "ALICE", &b_based_on).ok());  // the same base: accepted

  core::Status stale =
      b_->rt.ApplyCustomizing(workitems::DemoCustomizing("http://127.0.0.1:9/stale"), "BOB", &b_based_on);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().GatewayCode(), "CAUSEWAY/FB/017");
  EXPECT_EQ(stale.error().code, core::Code::kConflict);
  EXPECT_EQ(b_->DestinationUrl("JIRA_DEMO"), "http://127.0.0.1:9/tool");  // b's outbox untouched
  auto stored = b_->rt.items->StoredCustomizing();
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->changed_by, "ALICE");

  // Merged again into what is stored now, it is accepted.
  ASSERT_TRUE(b_->rt.Refresh().ok());
  auto [now, now_based_on] = b_->rt.Current();
  EXPECT_EQ(b_->InboundStatus("Parked by the tool"), "E0004");
  ASSERT_TRUE(
      b_->rt.ApplyCustomizing(workitems::DemoCustomizing("http://127.0.0.1:9/fresh"), "BOB", &now_based_on).ok());
  EXPECT_EQ(b_->DestinationUrl("JIRA_DEMO"), "http://127.0.0.1:9/fresh");

  // On one node: a base older than what the node itself applied since.
  auto [mine, mine_based_on] = a_->rt.Current();
  ASSERT_TRUE(a_->rt.Refresh().ok());
  stale = a_->rt.ApplyCustomizing(Moved(), "ALICE", &mine_based_on);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().GatewayCode(), "CAUSEWAY/FB/017");
}

// ChangeCustomizing derives the change again from what another node stored in between.
TEST_F(FbRuntimeTest, AChangeIsDerivedAgainFromACustomizingStoredMeanwhile) {
  ASSERT_TRUE(a_->rt.ApplyCustomizing(workitems::DemoCustomizing("http://127.0.0.1:9/tool"), "ADMIN").ok());
  int calls = 0;
  core::Status st = b_->rt.ChangeCustomizing(
      [&](const workitems::Customizing& current) -> core::Result<workitems::Customizing> {
        if (++calls == 1) {
          EXPECT_TRUE(a_->rt.ApplyCustomizing(Moved(), "ALICE").ok());  // meanwhile, on node A
        }
        workitems::Customizing next = current;
        next.destinations.front().path_prefix = "/from-b";
        return next;
      },
      "BOB");
  ASSERT_TRUE(st.ok()) << st.error().text;
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(b_->DestinationUrl("JIRA_DEMO"), "http://127.0.0.1:9/from-b");
  EXPECT_EQ(b_->InboundStatus("Parked by the tool"), "E0004");  // node A's change kept
}

TEST_F(FbRuntimeTest, TheFirstCustomizingIsStoredOnceWhenTwoNodesStoreItAtOnce) {
  auto [none, empty] = a_->rt.Current();
  EXPECT_TRUE(empty.empty());
  ASSERT_TRUE(a_->rt.ApplyCustomizing(workitems::DemoCustomizing("http://127.0.0.1:9/a"), "ALICE", &empty).ok());
  core::Status second = b_->rt.ApplyCustomizing(workitems::DemoCustomizing("http://127.0.0.1:9/b"), "BOB", &empty);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().GatewayCode(), "CAUSEWAY/FB/017");
  ASSERT_TRUE(b_->rt.Refresh().ok());
  EXPECT_EQ(b_->DestinationUrl("JIRA_DEMO"), "http://127.0.0.1:9/a");
}

}  // namespace
}  // namespace causeway::services::ext_integration

namespace causeway::services::ext_integration {
namespace {

// docs/configuration.md shows the table as a placeholder: left empty it is named as such, not
// as the first of its many missing parts.
TEST(FbOptionsTest, AnEmptyCustomizingTableSaysSo) {
  auto o = ParseFbOptions(toml::parse("[ext_integration.customizing]\n"));
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().target, "ext_integration.customizing");
  EXPECT_NE(o.error().text.find("is empty: leave the table out"), std::string::npos) << o.error().text;
}

}  // namespace
}  // namespace causeway::services::ext_integration
