#include "domain/workitems/work_items.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>

#include "core/ascii.h"
#include "core/base64.h"
#include "core/time_format.h"
#include "domain/workitems/demo_data.h"
#include "exchange/testing/fake_http_client.h"
#include "store/migration.h"
#include "store/sqlite/sqlite_database.h"

namespace causeway::workitems {
namespace {

using exchange::MessageState;
using exchange::testing::Answer;
using exchange::testing::FakeHttpClient;

// A payload that shows what the domain asked for: kind, ticket, status, description.
class TextBuilder final : public PayloadBuilder {
 public:
  core::Result<std::string> Build(const PushView& v) const override {
    return std::string(v.kind == PushKind::kCreate ? "create" : "update") + " " + v.object->ticket_id + " " +
           v.object->status + " " + v.object->description + " " + v.link_base_url;
  }
};

// Kinds that send the payload to /<kind>/<object>; creates keep "EXT-<ticket>".
exchange::KindRegistry TestKinds() {
  exchange::KindRegistry kinds;
  for (const char* name : {kKindWpCreate, kKindWpUpdate, kKindWiCreate, kKindWiUpdate}) {
    const bool creates = std::string_view(name).ends_with("create");
    kinds[name] = exchange::MakeKind(
        {.creates = creates,
         .build = [name](const exchange::OutgoingMessage& m) -> core::Result<exchange::OutboundRequest> {
           exchange::OutboundRequest r;
           r.method = "POST";
           r.path = "/" + std::string(name) + "/" + std::string(m.object_key);
           r.body = std::string(m.payload) + " dep=" + (m.dependency && m.dependency->result ? *m.dependency->result : "-");
           return r;
         },
         .result = [](const exchange::OutgoingMessage& m, const exchange::HttpOutcome&) -> core::Result<std::string> {
           return "EXT-" + std::string(m.payload.substr(7, 10));
         }});
  }
  return kinds;
}

class WorkItemsTest : public ::testing::Test {
 protected:
  static constexpr auto kWait = std::chrono::seconds(20);

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cw_fb_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = store::sqlite::SqliteDatabase::Open({.path = (dir_ / "fb.db").string()});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(store::Migrate(*db_, WorkItemMigrations()).ok());
    exchange::OutboxOptions options;
    exchange::Destination d;
    d.name = "JIRA_DEMO";
    d.base_url = "http://127.0.0.1:9";
    d.retry.max_attempts = 1;
    options.destinations = {d};
    options.kinds = TestKinds();
    options.stop_timeout = std::chrono::seconds(2);
    auto outbox = exchange::Outbox::Open(*db_, clock_, http_, std::move(options));
    ASSERT_TRUE(outbox.ok()) << outbox.error().text;
    outbox_ = std::move(outbox).value();
    items_ = std::make_unique<WorkItems>(*db_, clock_, outbox_.get(), builder_, WorkItemsOptions{});
    ASSERT_TRUE(items_->Open().ok());
    ASSERT_TRUE(items_->UseCustomizing(DemoCustomizing()).ok());
  }
  void TearDown() override {
    items_.reset();
    outbox_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  NewObject Package(std::string description = "WP", std::string dev_team = "4000") {
    NewObject n;
    n.process_type = "S1IT";
    n.description = std::move(description);
    n.project = "ST_OST_SP2";
    n.fields.partners = std::vector<PartnerAssignment>{{"/SALM/03", "4711", false}, {"/SALM/09", dev_team, false}};
    return n;
  }
  NewObject Item(std::string description, std::string dev_team = "4000") {
    NewObject n = Package(std::move(description), std::move(dev_team));
    n.process_type = "S1CG";
    n.project.clear();
    return n;
  }
  WorkObject Create(const NewObject& n, const std::string& package = "") {
    auto r = items_->Create(n, package, actor_);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().text);
    return r.ok() ? r->object : WorkObject{};
  }
  std::vector<std::string> Sent() const {
    std::vector<std::string> out;
    for (const auto& r : http_.Requests()) out.push_back(r.path + " | " + r.body);
    return out;
  }
  bool Delivered(exchange::MessageId id) const {
    return outbox_->WaitUntil(
        [&] {
          auto d = outbox_->Get(id);
          return d.ok() && d->message.state == MessageState::kDelivered;
        },
        kWait);
  }
  int64_t CountMessages() const {
    auto page = outbox_->List({.limit = 1000});
    return page.ok() ? static_cast<int64_t>(page->messages.size()) : -1;
  }

  std::filesystem::path dir_;
  core::ManualClock clock_{core::FromUnixMillis(1'700'000'000'000)};
  std::unique_ptr<store::sqlite::SqliteDatabase> db_;
  FakeHttpClient http_;
  std::unique_ptr<exchange::Outbox> outbox_;
  TextBuilder builder_;
  std::unique_ptr<WorkItems> items_;
  Actor actor_{"ALICE", "https://solman.example:50089"};
};

TEST_F(WorkItemsTest, CreateDrawsTicketNumbersSetsTheInitialStatusAndWritesHistory) {
  WorkObject wp = Create(Package());
  EXPECT_EQ(wp.ticket_id, "8000000001");
  EXPECT_TRUE(IsUpperHexGuid(wp.guid));
  EXPECT_EQ(wp.status, "E0001");
  EXPECT_EQ(wp.created_by, "ALICE");
  WorkObject wi = Create(Item("WI"), wp.ticket_id);
  EXPECT_EQ(wi.ticket_id, "8000000002");
  EXPECT_EQ(wi.parent_guid, wp.guid);
  EXPECT_EQ(wi.project, "ST_OST_SP2");
  auto history = items_->History(wi.guid);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].origin, "create");
  EXPECT_EQ((*history)[0].to, "E0001");
  EXPECT_EQ(items_->Get(wp.ticket_id).value().guid, wp.guid);
  EXPECT_EQ(items_->Get(core::ToLower(wp.guid)).value().ticket_id, wp.ticket_id);
  EXPECT_EQ(CountMessages(), 0);  // nothing was handed over
}

TEST_F(WorkItemsTest, CreateRefusesWhatTheCustomizingDoesNotKnow) {
  struct Case {
    std::function<void(NewObject&)> breaks;
    std::string package, target;
  };
  const std::vector<Case> cases = {
      {[](NewObject& n) { n.process_type = "ZZZZ"; }, "", "process_type"},
      {[](NewObject& n) { n.project = "NOPE"; }, "", "project"},
      {[](NewObject& n) { n.fields.partners = std::vector<PartnerAssignment>{{"/SALM/09", "999", false}}; }, "",
       "partners[0].partner_no"},
      {[](NewObject& n) { n.status = "E0099"; }, "", "status"},
      {[](NewObject& n) { n.process_type = "S1CG"; }, "", "package"},
      {[](NewObject&) {}, "8000000001", "package"},
  };
  for (const auto& c : cases) {
    NewObject n = Package();
    c.breaks(n);
    auto r = items_->Create(n, c.package, actor_);
    ASSERT_FALSE(r.ok()) << c.target;
    EXPECT_EQ(r.error().target, c.target);
  }
}

TEST_F(WorkItemsTest, HandOverPushesThePackageThenItsItemsInOrderAfterItsCreate) {
  WorkObject wp = Create(Package());
  WorkObject wi1 = Create(Item("WI one"), wp.guid);
  WorkObject wi2 = Create(Item("WI two"), wp.guid);
  WorkObject internal = Create(Item("WI internal", "4001"), wp.guid);
  auto r = items_->HandOver(wp.guid, actor_);
  ASSERT_TRUE(r.ok()) << r.error().text;
  ASSERT_EQ(r->pushes.size(), 3u);
  EXPECT_EQ(r->pushes[0].ticket_id, wp.ticket_id);
  EXPECT_EQ(r->pushes[0].kind, PushKind::kCreate);
  EXPECT_EQ(r->pushes[1].ticket_id, wi1.ticket_id);
  EXPECT_EQ(r->pushes[2].ticket_id, wi2.ticket_id);
  ASSERT_EQ(r->not_pushed.size(), 1u);
  EXPECT_NE(r->not_pushed[0].find(internal.ticket_id + ": the partner in partner function /SALM/09 has no identification S1EXTI"),
            std::string::npos)
      << r->not_pushed[0];
  ASSERT_TRUE(Delivered(r->pushes[2].message));
  auto sent = Sent();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0], "/fb.wp.create/" + wp.guid + " | create " + wp.ticket_id +
                         " E0001 WP https://solman.example:50089 dep=-");
  // Items name their package's EXTERNAL_ID (the create's stored result).
  EXPECT_EQ(sent[1], "/fb.wi.create/" + wi1.guid + " | create " + wi1.ticket_id +
                         " E0001 WI one https://solman.example:50089 dep=EXT-" + wp.ticket_id);
  EXPECT_EQ(http_.Requests()[0].idempotency_key, wp.guid);

  WorkObject stored = items_->Get(wp.guid).value();
  EXPECT_TRUE(stored.handed_over);
  EXPECT_EQ(stored.push_destination, "JIRA_DEMO");
  EXPECT_EQ(stored.create_message, r->pushes[0].message);
  EXPECT_EQ(items_->CreateResult(stored).value(), std::optional<std::string>("EXT-" + wp.ticket_id));
  EXPECT_FALSE(items_->Get(internal.guid).value().handed_over);
}

// S1_CALL_EXT changes the push state of each object, nothing else: rewriting the partner,
// text, … rows of six objects per handover tripled its write-ahead log (the handover
// benchmark's writer was busy with them). A rewritten row gets a new rowid.
TEST_F(WorkItemsTest, HandOverWritesThePushStateAndLeavesTheListsAlone) {
  WorkObject wp = Create(Package());
  WorkObject wi = Create(Item("WI"), wp.guid);
  auto rowids = [&](const std::string& guid) {
    std::vector<int64_t> out;
    EXPECT_TRUE(db_->Read([&](store::Tx& tx) {
                     return tx.Query("SELECT rowid FROM fb_partners WHERE guid = ? UNION ALL "
                                     "SELECT rowid FROM fb_texts WHERE guid = ?",
                                     {guid, guid}, [&](const store::Row& r) { out.push_back(r.Int(0)); });
                   }).ok());
    return out;
  };
  const auto wp_rows = rowids(wp.guid), wi_rows = rowids(wi.guid);
  ASSERT_EQ(wp_rows.size(), 2u);

  auto r = items_->HandOver(wp.guid, actor_);
  ASSERT_TRUE(r.ok()) << r.error().text;
  EXPECT_EQ(rowids(wp.guid), wp_rows);
  EXPECT_EQ(rowids(wi.guid), wi_rows);
  for (const auto& [before, push] : {std::pair{wp, r->pushes[0]}, std::pair{wi, r->pushes[1]}}) {
    WorkObject stored = items_->Get(before.guid).value();
    EXPECT_TRUE(stored.handed_over);
    EXPECT_EQ(stored.push_destination, "JIRA_DEMO");
    EXPECT_EQ(stored.create_message, push.message);
    EXPECT_EQ(stored.version, before.version + 1);
    EXPECT_EQ(stored.partners.size(), before.partners.size());
    EXPECT_EQ(stored.description, before.description);
  }
}

TEST_F(WorkItemsTest, AfterHandOverEverySaveOfAPushableObjectPushesAnUpdate) {
  WorkObject wp = Create(Package());
  ObjectPatch p;
  p.description = "before handover";
  auto before = items_->Change(wp.guid, p, actor_);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->pushes.empty());
  auto handed = items_->HandOver(wp.guid, actor_);
  ASSERT_TRUE(handed.ok());
  ASSERT_TRUE(Delivered(handed->pushes[0].message));
  p.description = "after handover";
  auto after = items_->Change(wp.guid, p, actor_);
  ASSERT_TRUE(after.ok()) << after.error().text;
  ASSERT_EQ(after->pushes.size(), 1u);
  EXPECT_EQ(after->pushes[0].kind, PushKind::kUpdate);
  ASSERT_TRUE(Delivered(after->pushes[0].message));
  EXPECT_EQ(Sent().back(), "/fb.wp.update/" + wp.guid + " | update " + wp.ticket_id +
                               " E0001 after handover https://solman.example:50089 dep=EXT-" + wp.ticket_id);

  // A new item of a handed-over package is pushed as soon as it is saved.
  auto wi = items_->Create(Item("late item"), wp.guid, actor_);
  ASSERT_TRUE(wi.ok());
  ASSERT_EQ(wi->pushes.size(), 1u);
  EXPECT_EQ(wi->pushes[0].kind, PushKind::kCreate);

  // The trigger partner removed: saved, not pushed, and said so.
  p = {};
  p.partners = std::vector<PartnerAssignment>{{"/SALM/09", "4001", false}};
  auto untriggered = items_->Change(wp.guid, p, actor_);
  ASSERT_TRUE(untriggered.ok());
  EXPECT_TRUE(untriggered->pushes.empty());
  ASSERT_EQ(untriggered->not_pushed.size(), 1u);
}

TEST_F(WorkItemsTest, HandOverNeedsTheTriggerAndItemsNeedTheirPackage) {
  WorkObject wp = Create(Package("internal", "4001"));
  auto r = items_->HandOver(wp.guid, actor_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().GatewayCode(), "CAUSEWAY/FB/013");
  WorkObject wp2 = Create(Package());
  WorkObject wi = Create(Item("WI"), wp2.guid);
  auto item = items_->HandOver(wi.guid, actor_);
  ASSERT_FALSE(item.ok());
  EXPECT_NE(item.error().text.find("its work package " + wp2.ticket_id + " was not handed over"), std::string::npos);
  EXPECT_EQ(CountMessages(), 0);
}

TEST_F(WorkItemsTest, DomainChangeAndItsPushCommitOrVanishTogether) {
  WorkObject wp = Create(Package());
  {
    store::UnitOfWork unit(*db_);
    store::UnitOfWork::Scope scope(unit);
    auto r = items_->HandOver(wp.guid, actor_);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->pushes.size(), 1u);
    unit.Rollback();
  }
  EXPECT_EQ(CountMessages(), 0);
  EXPECT_FALSE(items_->Get(wp.guid).value().handed_over);
  EXPECT_EQ(http_.RequestCount(), 0u);
}

TEST_F(WorkItemsTest, ConcurrentChangesOfOneTicketAreRefusedNotLost) {
  WorkObject wp = Create(Package());
  store::UnitOfWork slow(*db_);
  {
    store::UnitOfWork::Scope scope(slow);
    ObjectPatch p;
    p.description = "slow writer";
    ASSERT_TRUE(items_->Change(wp.guid, p, actor_).ok());
  }
  ObjectPatch p;
  p.description = "fast writer";
  ASSERT_TRUE(items_->Change(wp.guid, p, actor_).ok());
  core::Status st = slow.Commit();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/FB/014");
  EXPECT_EQ(st.error().HttpStatus(), 409);
  EXPECT_EQ(items_->Get(wp.guid).value().description, "fast writer");
}

TEST_F(WorkItemsTest, StatusChangesFollowTheProfile) {
  WorkObject wi = Create(Item("WI"), Create(Package()).guid);
  auto refused = items_->SetStatus(wi.guid, "E0006", actor_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().GatewayCode(), "CAUSEWAY/FB/011");
  EXPECT_EQ(refused.error().text,
            "Status change from E0001 (Created) to E0006 (Completed) is not allowed for ticket " + wi.ticket_id);
  auto ok = items_->SetStatus(wi.guid, "E0002", actor_);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->object.status, "E0002");
  auto history = items_->History(wi.guid).value();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].from, "E0001");
  EXPECT_EQ(history[1].to, "E0002");
  EXPECT_EQ(history[1].origin, "control");
  EXPECT_EQ(history[1].changed_by, "ALICE");
}

TEST_F(WorkItemsTest, InboundStatusIsMappedCheckedRecordedAndNeverPushedBack) {
  WorkObject wp = Create(Package());
  WorkObject wi = Create(Item("WI"), wp.guid);
  auto handed = items_->HandOver(wp.guid, actor_);
  ASSERT_TRUE(handed.ok());
  ASSERT_TRUE(Delivered(handed->pushes.back().message));
  const int64_t messages = CountMessages();

  ASSERT_TRUE(items_->SetStatusFromExternal(core::ToLower(wi.guid), wi.guid, "Start Development", "FB_CONNECTOR").ok());
  WorkObject after = items_->Get(wi.guid).value();
  EXPECT_EQ(after.status, "E0002");
  EXPECT_EQ(after.last_external_status, "Start Development");
  EXPECT_EQ(after.changed_by, "FB_CONNECTOR");
  auto history = items_->History(wi.guid).value();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].origin, "inbound");
  EXPECT_EQ(history[1].external_status, "Start Development");
  // The same call again (a connector's retry) changes nothing and succeeds.
  ASSERT_TRUE(items_->SetStatusFromExternal(wi.guid, "", "Start Development", "FB_CONNECTOR").ok());
  EXPECT_EQ(items_->History(wi.guid).value().size(), 2u);
  EXPECT_EQ(CountMessages(), messages);  // no push back

  struct Case {
    std::string key, body, status, code, text;
  };
  const std::vector<Case> cases = {
      {wi.guid, "", "Won't Do", "/SALM/EXT_INTEG/003",
       "Status mapping for ext. status Won't Do is not existing for ticket " + wi.ticket_id + "."},
      {"00000000000000000000000000000001", "", "Done", "CAUSEWAY/FB/101",
       "Ticket with GUID 00000000000000000000000000000001 does not exist"},
      {wi.guid, "00000000000000000000000000000001", "Done", "CAUSEWAY/FB/103",
       "GUID 00000000000000000000000000000001 in the request body differs from key GUID " + wi.guid},
      {wp.guid, "", "Done", "CAUSEWAY/FB/104",
       "Ticket " + wp.ticket_id + " is a work package; status updates are accepted for work items only"},
      {wi.guid, "", "Withdrawn", "CAUSEWAY/FB/102",  // E0002 → E0007 is allowed …
       ""},
  };
  for (const auto& c : cases) {
    core::Status st = items_->SetStatusFromExternal(c.key, c.body, c.status, "FB_CONNECTOR");
    if (c.text.empty()) {
      EXPECT_TRUE(st.ok());
      continue;
    }
    ASSERT_FALSE(st.ok()) << c.code;
    EXPECT_EQ(st.error().GatewayCode(), c.code);
    EXPECT_EQ(st.error().text, c.text);
    EXPECT_EQ(st.error().HttpStatus(), 500);
  }
  // … E0007 (Withdrawn) → E0005 is not.
  core::Status st = items_->SetStatusFromExternal(wi.guid, "", "Done", "FB_CONNECTOR");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/FB/102");
  EXPECT_EQ(st.error().text, "Status change from E0007 (Withdrawn) to E0005 (Handed Over to Release) is not allowed for ticket " +
                                 wi.ticket_id);
  EXPECT_EQ(CountMessages(), messages);
}

TEST_F(WorkItemsTest, DocumentsKeepTheirContentAndLimits) {
  WorkObject wp = Create(Package());
  NewDocument d;
  d.meta.kind = DocumentKind::kAttachment;
  d.meta.file_name = "Spec.pdf";
  d.meta.content_type = "application/pdf";
  d.content = std::string("%PDF\0binary\xff", 12);
  auto r = items_->AddDocument(wp.guid, d, actor_);
  ASSERT_TRUE(r.ok()) << r.error().text;
  ASSERT_EQ(r->object.documents.size(), 1u);
  const Document& meta = r->object.documents[0];
  EXPECT_EQ(meta.extension, "PDF");
  EXPECT_EQ(meta.technical_name, "Spec.pdf");
  EXPECT_EQ(meta.size, 12);
  auto stored = items_->ReadDocument(meta.id);
  ASSERT_TRUE(stored.ok());
  std::string content;
  ASSERT_TRUE(core::Base64Decode(stored->content_base64, &content));
  EXPECT_EQ(content, d.content);
  EXPECT_EQ(stored->object_guid, wp.guid);
  EXPECT_EQ(items_->Get(wp.guid).value().documents.size(), 1u);

  d.content.assign(8 * 1024 * 1024 + 1, 'x');
  auto big = items_->AddDocument(wp.guid, d, actor_);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().HttpStatus(), 413);

  ASSERT_TRUE(items_->RemoveDocument(wp.guid, meta.id, actor_).ok());
  EXPECT_EQ(items_->ReadDocument(meta.id).error().code, core::Code::kNotFound);
  EXPECT_TRUE(items_->Get(wp.guid).value().documents.empty());
}

TEST_F(WorkItemsTest, ASkippedCreateIsCreatedAgainByTheNextHandOver) {
  http_.SetDefault(Answer(400, "no such project"));
  WorkObject wp = Create(Package());
  auto first = items_->HandOver(wp.guid, actor_);
  ASSERT_TRUE(first.ok());
  const auto id = first->pushes[0].message;
  ASSERT_TRUE(outbox_->WaitUntil([&] { return outbox_->Get(id).value().message.state == MessageState::kFailed; }, kWait));
  ASSERT_TRUE(outbox_->Skip(id).ok());
  http_.SetDefault(Answer(201, "{}"));
  auto second = items_->HandOver(wp.guid, actor_);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->pushes.size(), 1u);
  EXPECT_EQ(second->pushes[0].kind, PushKind::kCreate);
  ASSERT_TRUE(Delivered(second->pushes[0].message));
  // Now it exists at the tool: the next hand-over is an update.
  auto third = items_->HandOver(wp.guid, actor_);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->pushes[0].kind, PushKind::kUpdate);
}

TEST_F(WorkItemsTest, AnItemThatMissedItsPushIsPushedByItsNextSave) {
  WorkObject wp = Create(Package());
  ASSERT_TRUE(items_->HandOver(wp.guid, actor_).ok());
  // Created under a handed-over package without the trigger partner: saved, not pushed, said so.
  auto wi = items_->Create(Item("no dev team yet", "4001"), wp.guid, actor_);
  ASSERT_TRUE(wi.ok()) << wi.error().text;
  EXPECT_TRUE(wi->pushes.empty());
  ASSERT_EQ(wi->not_pushed.size(), 1u);
  EXPECT_NE(wi->not_pushed[0].find(wi->object.ticket_id + ": the partner in partner function /SALM/09"),
            std::string::npos)
      << wi->not_pushed[0];
  // The trigger partner added later: that save creates it at the tool.
  ObjectPatch p;
  p.partners = std::vector<PartnerAssignment>{{"/SALM/03", "4711", false}, {"/SALM/09", "4000", false}};
  auto later = items_->Change(wi->object.guid, p, actor_);
  ASSERT_TRUE(later.ok()) << later.error().text;
  ASSERT_EQ(later->pushes.size(), 1u);
  EXPECT_EQ(later->pushes[0].kind, PushKind::kCreate);
  EXPECT_TRUE(items_->Get(wi->object.guid).value().handed_over);
}

TEST_F(WorkItemsTest, AnItemCreatedWhileItsPackageIsHandedOverIsPushedOnce) {
  // Each round races an item's create against its package's handover: whichever commits
  // second must see the other, so the item is pushed (by one or the other) exactly once.
  for (int round = 0; round < 25; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    WorkObject wp = Create(Package("WP " + std::to_string(round)));
    std::atomic<int> ready{0};
    auto together = [&] {
      ready.fetch_add(1);
      while (ready.load() < 2) std::this_thread::yield();
    };
    std::optional<core::Result<SaveResult>> created, handed;
    std::thread creator([&] {
      together();
      created = items_->Create(Item("WI " + std::to_string(round)), wp.guid, actor_);
    });
    together();
    handed = items_->HandOver(wp.guid, actor_);
    creator.join();
    ASSERT_TRUE(created->ok()) << created->error().text;
    ASSERT_TRUE(handed->ok()) << handed->error().text;
    const std::string item = (*created)->object.guid;
    int pushes = 0;
    for (const auto* r : {&**created, &**handed})
      for (const PushRecord& push : r->pushes) pushes += push.guid == item ? 1 : 0;
    EXPECT_EQ(pushes, 1);
    WorkObject stored = items_->Get(item).value();
    EXPECT_TRUE(stored.handed_over);
    EXPECT_NE(stored.create_message, 0);
  }
}

TEST_F(WorkItemsTest, SystemGuidIsGeneratedOnceAndKept) {
  const std::string guid = items_->system_guid();
  EXPECT_TRUE(IsUpperHexGuid(guid));
  WorkItems again(*db_, clock_, outbox_.get(), builder_, WorkItemsOptions{});
  ASSERT_TRUE(again.Open().ok());
  EXPECT_EQ(again.system_guid(), guid);
  WorkItems fixed(*db_, clock_, outbox_.get(), builder_, WorkItemsOptions{.system_guid = "00505683226E1EE5AED98BF0E4AD82E1"});
  ASSERT_TRUE(fixed.Open().ok());
  EXPECT_EQ(fixed.system_guid(), "00505683226E1EE5AED98BF0E4AD82E1");
  WorkItems bad(*db_, clock_, outbox_.get(), builder_, WorkItemsOptions{.system_guid = "xyz"});
  EXPECT_FALSE(bad.Open().ok());
}

TEST_F(WorkItemsTest, DemoSeedReproducesTheAppendixSampleOnce) {
  ASSERT_TRUE(SeedDemoObjects(*items_).ok());
  ASSERT_TRUE(SeedDemoObjects(*items_).ok());
  WorkObject wp = items_->Get("8000013587").value();
  EXPECT_EQ(wp.guid, kDemoPackageGuid);
  EXPECT_EQ(wp.status, "E0022");
  EXPECT_EQ(wp.changed_by, "testuser");
  EXPECT_EQ(core::FormatSapTimestampShort(wp.changed_at), "20160705140732");
  EXPECT_EQ(wp.partners.size(), 4u);
  EXPECT_EQ(wp.documents.size(), 4u);
  EXPECT_EQ(wp.texts.size(), 1u);
  auto wis = items_->ItemsOf(wp.guid).value();
  ASSERT_EQ(wis.size(), 2u);
  EXPECT_EQ(wis[0].guid, kDemoItemGuid);
  // Imported numbers move the range on.
  EXPECT_EQ(Create(Package()).ticket_id, "8000013589");
}

}  // namespace
}  // namespace causeway::workitems
