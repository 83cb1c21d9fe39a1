// Business agreement replication on both back ends: every action code, the change-state rules
// (root and texts, not the other child nodes), list-complete transmission, the business partner
// prerequisite, sender IDs in the log, and the unit of work.
#include "domain/agreements/business_agreements.h"

#include <gtest/gtest.h>

#include "domain/activities/task_repository.h"
#include "domain/agreements/agreement_repository.h"
#include "store/backend_fixture.h"
#include "store/migration.h"
#include "store/unit_of_work.h"

namespace causeway::agreements {
namespace {

using store::testing::BackendTest;

constexpr char kId[] = "000012345678";
constexpr char kUuid[] = "3f1e2d4c-5b6a-4789-9abc-def012345678";

std::vector<std::string> TypeIds(const ReplicationResult& r) {
  std::vector<std::string> out;
  for (const LogItem& i : r.log) out.push_back(i.type_id.substr(0, 3));
  return out;
}

AgreementChange Root(Action action, std::string id = kId, std::string uuid = {}) {
  AgreementChange c;
  c.action = action;
  c.sender_id = "R1";
  if (!id.empty()) c.id = id;
  if (!uuid.empty()) c.uuid = uuid;
  return c;
}

ContactPersonChange Contact(std::string partner, Action action = Action::kSave, std::string sender = {}) {
  ContactPersonChange c;
  c.action = action;
  c.sender_id = std::move(sender);
  c.business_partner_id = std::move(partner);
  return c;
}

class ReplicationTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<store::Migration> m = activities::ActivityMigrations();
    for (const auto& x : AgreementMigrations()) m.push_back(x);
    ASSERT_TRUE(store::Migrate(*db_, m).ok());
    agreements_ = std::make_unique<BusinessAgreements>(*db_, clock_);
    ASSERT_TRUE(agreements_->SeedDemoPartners().ok());
  }
  void TearDown() override {
    agreements_.reset();
    BackendTest::TearDown();
  }

  ReplicationResult Replicate(AgreementChange c) {
    ReplicationRequest req;
    req.agreement = std::move(c);
    auto result = std::make_shared<ReplicationResult>();
    core::Status st = agreements_->Replicate(req, "SENDER", result);
    EXPECT_TRUE(st.ok()) << st.error().text;
    clock_.Advance(std::chrono::seconds(1));
    return *result;
  }
  // A stored agreement (kId) owned by UC100001 with one contact person and one text.
  BusinessAgreement CreateStandard() {
    AgreementChange c = Root(Action::kCreate, kId, kUuid);
    c.business_partner_id = "UC100001";
    c.category_code = "2";
    c.name = "Bakery account";
    c.contact_persons.items.push_back(Contact("UCP20001"));
    TextChange t;
    t.type_code = "10001";
    t.language_code = "EN";
    t.content = "first";
    c.texts.items.push_back(t);
    ReplicationResult r = Replicate(c);
    EXPECT_FALSE(r.failed()) << (r.log.empty() ? "" : r.log[0].note);
    return Stored();
  }
  BusinessAgreement Stored(const std::string& key = kId) {
    auto a = agreements_->Find(key);
    EXPECT_TRUE(a.ok() && a->has_value()) << key;
    return a.ok() && a->has_value() ? **a : BusinessAgreement{};
  }
  bool Exists(const std::string& key = kId) { return agreements_->Find(key)->has_value(); }

  core::ManualClock clock_{core::FromUnixMillis(1714550400000)};
  std::unique_ptr<BusinessAgreements> agreements_;
};

TEST_P(ReplicationTest, CreateThenSaveChangesOnlyWhatWasTransmitted) {
  BusinessAgreement a = CreateStandard();
  EXPECT_EQ((std::tuple(a.id, a.uuid, a.business_partner_id, a.category_code, a.name, a.revision, a.created_by)),
            (std::tuple(kId, kUuid, "UC100001", "2", "Bakery account", 1, "SENDER")));
  ASSERT_EQ(a.contact_persons.size(), 1u);
  ASSERT_EQ(a.texts.size(), 1u);
  EXPECT_EQ(a.texts[0].change_state_id.size(), 22u);

  AgreementChange c = Root(Action::kSave);
  c.name = "Renamed";
  ReplicationResult r = Replicate(c);
  EXPECT_EQ(TypeIds(r), std::vector<std::string>{"031"});
  EXPECT_EQ(r.outcome, Outcome::kChanged);
  EXPECT_EQ(r.log[0].note, "Business agreement 000012345678 changed (revision 2)");
  EXPECT_EQ(r.log[0].sender_id, "R1");
  BusinessAgreement b = Stored();
  EXPECT_EQ(b.name, "Renamed");
  EXPECT_EQ(b.category_code, "2");  // not transmitted: unchanged
  EXPECT_EQ(b.contact_persons, a.contact_persons);
  EXPECT_EQ(b.revision, 2);
  EXPECT_NE(b.change_state_id, a.change_state_id);
}

struct ActionCase {
  const char* name;
  bool existing;  // kId stored before the message
  Action action;
  std::string id, uuid;
  std::vector<std::string> log;
  Outcome outcome;
  bool exists_after;
};

TEST_P(ReplicationTest, ActionCodes) {
  const ActionCase cases[] = {
      {"01 creates", false, Action::kCreate, kId, "", {"030"}, Outcome::kCreated, true},
      {"01 on an existing one", true, Action::kCreate, kId, "", {"001"}, Outcome::kNone, true},
      {"02 on a missing one", false, Action::kUpdate, kId, "", {"002"}, Outcome::kNone, false},
      {"02 without ID or UUID", true, Action::kUpdate, "", "", {"012"}, Outcome::kNone, true},
      {"03 deletes", true, Action::kDelete, kId, "", {"032"}, Outcome::kDeleted, false},
      {"03 by UUID", true, Action::kDelete, "", kUuid, {"032"}, Outcome::kDeleted, false},
      {"03 on a missing one", false, Action::kDelete, kId, "", {"002"}, Outcome::kNone, false},
      {"04 creates a missing one", false, Action::kSave, kId, "", {"030"}, Outcome::kCreated, true},
      {"04 changes an existing one", true, Action::kSave, "", kUuid, {"031"}, Outcome::kChanged, true},
      {"05 removes", true, Action::kRemove, kId, "", {"032"}, Outcome::kDeleted, false},
      {"05 on a missing one is no error", false, Action::kRemove, kId, "", {"033"}, Outcome::kNotFound, false},
      {"06 on an existing one (nothing else sent: unchanged)", true, Action::kNoAction, kId, "", {"034"}, Outcome::kUnchanged, true},
      {"06 on a missing one", false, Action::kNoAction, kId, "", {"002"}, Outcome::kNone, false},
      {"ID and UUID of different agreements", true, Action::kSave, "999", kUuid, {"007"}, Outcome::kNone, true},
  };
  for (const ActionCase& t : cases) {
    SCOPED_TRACE(t.name);
    ASSERT_TRUE(db_->Write([](store::Tx& tx) { return tx.Exec("DELETE FROM agreements"); }).ok());
    if (t.existing) CreateStandard();
    AgreementChange c = Root(t.action, t.id, t.uuid);
    c.business_partner_id = "UC100002";
    ReplicationResult r = Replicate(c);
    EXPECT_EQ(TypeIds(r), t.log);
    EXPECT_EQ(r.outcome, t.outcome);
    EXPECT_EQ(Exists(), t.exists_after);
  }
}

TEST_P(ReplicationTest, SaveWithoutIdOrUuidCreatesAnotherAgreementEachTimeAndWarns) {
  for (int i = 0; i < 2; ++i) {
    AgreementChange c = Root(Action::kSave, "", "");
    c.business_partner_id = "UC100003";
    ReplicationResult r = Replicate(c);
    EXPECT_EQ(TypeIds(r), (std::vector<std::string>{"020", "030"}));
    EXPECT_EQ(r.log[0].severity, soap::a2x::Severity::kWarning);
    EXPECT_FALSE(r.failed());
    EXPECT_EQ(r.agreement_id, i == 0 ? "800000000001" : "800000000002");
  }
  EXPECT_EQ(agreements_->List("", 10)->size(), 2u);
}

TEST_P(ReplicationTest, NoActionOnTheRootLeavesItButChangesItsChildren) {
  CreateStandard();
  AgreementChange c = Root(Action::kNoAction);
  c.name = "ignored under 06";
  c.contact_persons.items.push_back(Contact("UCP20002", Action::kCreate));
  ReplicationResult r = Replicate(c);
  EXPECT_FALSE(r.failed());
  BusinessAgreement a = Stored();
  EXPECT_EQ(a.name, "Bakery account");
  EXPECT_EQ(a.contact_persons.size(), 2u);
}

// A message that changes nothing (06 on the root and on every child it names, or values equal to
// the stored ones) writes nothing: revision and ChangeStateID stay, and it says so (034).
TEST_P(ReplicationTest, AMessageThatChangesNothingKeepsRevisionAndChangeState) {
  BusinessAgreement before = CreateStandard();
  clock_.Advance(std::chrono::seconds(3));
  AgreementChange touch = Root(Action::kNoAction);
  touch.contact_persons.items.push_back(Contact(before.contact_persons.at(0).business_partner_id, Action::kNoAction));
  ReplicationResult r = Replicate(touch);
  EXPECT_EQ(TypeIds(r), std::vector<std::string>{"034"});
  EXPECT_EQ(r.outcome, Outcome::kUnchanged);
  EXPECT_EQ(r.change_state_id, before.change_state_id);
  EXPECT_EQ(r.revision, before.revision);
  AgreementChange same = Root(Action::kUpdate);
  same.name = before.name;
  same.change_state_id = before.change_state_id;
  EXPECT_EQ(TypeIds(Replicate(same)), std::vector<std::string>{"034"});
  EXPECT_EQ(Stored(), before);
  same.name = "renamed";
  EXPECT_EQ(TypeIds(Replicate(same)), std::vector<std::string>{"031"});
  EXPECT_EQ(Stored().revision, before.revision + 1);
}

TEST_P(ReplicationTest, AStaleChangeStateOnTheRootChangesNothing) {
  BusinessAgreement a = CreateStandard();
  AgreementChange stale = Root(Action::kUpdate);
  stale.change_state_id = "20000101000000.0000000";
  stale.name = "lost";
  ReplicationResult r = Replicate(stale);
  EXPECT_EQ(TypeIds(r), std::vector<std::string>{"003"});
  EXPECT_EQ(Stored().name, "Bakery account");
  AgreementChange fresh = Root(Action::kUpdate);
  fresh.change_state_id = "  " + a.change_state_id + " ";
  fresh.name = "kept";
  EXPECT_FALSE(Replicate(fresh).failed());
  EXPECT_EQ(Stored().name, "kept");
}

TEST_P(ReplicationTest, TheChangeStateAppliesToTextsButNotToTheOtherChildNodes) {
  CreateStandard();
  AgreementChange c = Root(Action::kSave);
  ContactPersonChange cp = Contact("UCP20001");
  cp.change_state_id = "19990101000000.0000000";  // ignored: does not apply to contact persons
  cp.function_code = "Z1";
  c.contact_persons.items.push_back(cp);
  ReplicationResult r = Replicate(c);
  EXPECT_FALSE(r.failed());
  EXPECT_EQ(Stored().contact_persons[0].function_code, "Z1");

  AgreementChange t = Root(Action::kSave);
  TextChange text;
  text.sender_id = "T1";
  text.type_code = "10001";
  text.language_code = "EN";
  text.change_state_id = "19990101000000.0000000";
  text.content = "stale";
  t.texts.items.push_back(text);
  r = Replicate(t);
  EXPECT_EQ(TypeIds(r), std::vector<std::string>{"011"});
  EXPECT_EQ(r.log[0].sender_id, "T1");
  EXPECT_EQ(Stored().texts[0].content, "first");
  t.texts.items[0].change_state_id = Stored().texts[0].change_state_id;
  EXPECT_FALSE(Replicate(t).failed());
  EXPECT_EQ(Stored().texts[0].content, "stale");

  // A deletion (03) or removal (05) is a modifying operation too: with a stale change state the
  // text stays.
  for (Action action : {Action::kDelete, Action::kRemove}) {
    AgreementChange d = Root(Action::kSave);
    TextChange gone;
    gone.action = action;
    gone.sender_id = "T2";
    gone.type_code = "10001";
    gone.language_code = "EN";
    gone.change_state_id = "19990101000000.0000000";
    d.texts.items.push_back(gone);
    r = Replicate(d);
    EXPECT_EQ(TypeIds(r), std::vector<std::string>{"011"});
    ASSERT_EQ(Stored().texts.size(), 1u);
  }
}

// The seed: 01 "returns an error message if the node element already exists", 03 "if the node
// element does not exist", also when an earlier node of the same message created or deleted it;
// each error points at its own node.
TEST_P(ReplicationTest, ANodeCreatedOrDeletedTwiceInOneMessageIsAnErrorTheSecondTime) {
  CreateStandard();
  AgreementChange c = Root(Action::kSave);
  c.contact_persons.items.push_back(Contact("UCP20002", Action::kCreate, "C1"));
  c.contact_persons.items.push_back(Contact("UCP20002", Action::kCreate, "C2"));
  ReplicationResult r = Replicate(c);
  ASSERT_EQ(r.log.size(), 1u);
  EXPECT_EQ(r.log[0].sender_id, "C2");
  AgreementChange d = Root(Action::kSave);
  d.contact_persons.items.push_back(Contact("UCP20001", Action::kDelete, "D1"));
  d.contact_persons.items.push_back(Contact("UCP20001", Action::kDelete, "D2"));
  r = Replicate(d);
  ASSERT_EQ(r.log.size(), 1u);
  EXPECT_EQ(r.log[0].sender_id, "D2");
}

TEST_P(ReplicationTest, ListCompleteTransmission) {
  CreateStandard();  // contact UCP20001
  AgreementChange append = Root(Action::kSave);
  append.contact_persons.items.push_back(Contact("UCP20002"));
  EXPECT_FALSE(Replicate(append).failed());
  EXPECT_EQ(Stored().contact_persons.size(), 2u);  // not complete: the other one stays

  AgreementChange replace = Root(Action::kSave);
  replace.contact_persons.complete = true;
  replace.contact_persons.items.push_back(Contact("UCP20002"));
  EXPECT_FALSE(Replicate(replace).failed());
  ASSERT_EQ(Stored().contact_persons.size(), 1u);
  EXPECT_EQ(Stored().contact_persons[0].business_partner_id, "UCP20002");

  AgreementChange clear = Root(Action::kSave);
  clear.contact_persons.complete = true;
  EXPECT_FALSE(Replicate(clear).failed());
  EXPECT_TRUE(Stored().contact_persons.empty());
  EXPECT_EQ(Stored().texts.size(), 1u);  // a list that was not transmitted stays

  // Nodes the request cannot identify are appended (04) or refused (02).
  AgreementChange unidentified = Root(Action::kSave);
  CommunicationArrangementChange ca;
  ca.medium_code = "INT";
  unidentified.communication_arrangements.items = {ca, ca};
  EXPECT_FALSE(Replicate(unidentified).failed());
  EXPECT_EQ(Stored().communication_arrangements.size(), 2u);
  unidentified.communication_arrangements.items = {ca};
  unidentified.communication_arrangements.items[0].action = Action::kUpdate;
  unidentified.communication_arrangements.items[0].sender_id = "CA9";
  ReplicationResult r = Replicate(unidentified);
  EXPECT_EQ(TypeIds(r), std::vector<std::string>{"010"});
  EXPECT_EQ(r.log[0].note, "Communication arrangement cannot be identified without CorrespondenceTypeCode; action code "
                           "02 needs an existing one");
}

TEST_P(ReplicationTest, BusinessPartnersMustExist) {
  AgreementChange c = Root(Action::kCreate);
  c.business_partner_id = "NOPE";
  ReplicationResult r = Replicate(c);
  EXPECT_EQ(TypeIds(r), std::vector<std::string>{"004"});
  EXPECT_EQ(r.log[0].note, "Business partner NOPE does not exist");
  EXPECT_FALSE(Exists());

  AgreementChange no_partner = Root(Action::kCreate);
  EXPECT_EQ(TypeIds(Replicate(no_partner)), std::vector<std::string>{"006"});

  // The children's partners too; an initial sender ID refers to the root's in the log.
  AgreementChange kids = Root(Action::kCreate);
  kids.business_partner_id = "UC100001";
  kids.contact_persons.items.push_back(Contact("GHOST", Action::kCreate, "C7"));
  RelationshipChange rel;
  rel.role_code = "ZREL";
  rel.business_partner_id = "GHOST2";
  kids.relationships.items.push_back(rel);
  DirectResponsibilityChange dr;
  dr.role_code = "142";
  dr.employee_id = "E9999";
  dr.sender_id = "D1";
  kids.direct_responsibilities.items.push_back(dr);
  PaymentDataChange pay;
  pay.direction_code = "1";
  pay.alternative_payer_partner_id = "GHOST3";
  kids.payment_data.items.push_back(pay);
  r = Replicate(kids);
  EXPECT_EQ(TypeIds(r), (std::vector<std::string>{"004", "004", "005", "004"}));
  EXPECT_EQ(r.log[0].sender_id, "C7");
  EXPECT_EQ(r.log[1].sender_id, "R1");  // relationship without its own sender ID
  EXPECT_EQ(r.log[2].sender_id, "D1");
  EXPECT_FALSE(Exists());

  // Once the partner exists, the same message goes through.
  ASSERT_TRUE(agreements_->UpsertPartner({"NOPE", activities::PartnerKind::kAccount, "Late partner", "", ""}).ok());
  EXPECT_EQ(TypeIds(Replicate(c)), std::vector<std::string>{"030"});
  EXPECT_EQ(Stored().business_partner_id, "NOPE");
}

TEST_P(ReplicationTest, EveryChildListTakesItsNodes) {
  AgreementChange c = Root(Action::kCreate);
  c.business_partner_id = "UC100002";
  c.account_determination_present = true;
  c.account_determination_code = "01";
  RelationshipChange rel;
  rel.role_code = "ZREL";
  rel.business_partner_id = "UC100003";
  rel.valid_from = "2024-01-01";
  c.relationships.items.push_back(rel);
  CommunicationArrangementChange ca;
  ca.correspondence_type_code = "0001";
  ca.medium_code = "INT";
  ca.recipient_partner_id = "UCP20002";
  c.communication_arrangements.items.push_back(ca);
  DirectResponsibilityChange dr;
  dr.role_code = "142";
  dr.employee_id = "E0101";
  c.direct_responsibilities.items.push_back(dr);
  SalesArrangementChange sa;
  sa.sales_organisation_id = "S1000";
  sa.distribution_channel_code = "01";
  sa.currency_code = "EUR";
  c.sales_arrangements.items.push_back(sa);
  PaymentDataChange pay;
  pay.direction_code = "1";
  pay.payment_method_code = "D";
  pay.bank_details_id = "0001";
  c.payment_data.items.push_back(pay);
  ReplicationResult r = Replicate(c);
  ASSERT_FALSE(r.failed()) << r.log[0].note;
  BusinessAgreement a = Stored();
  EXPECT_EQ(a.account_determination_code, "01");
  EXPECT_EQ(a.relationships, (std::vector<Relationship>{{"ZREL", "UC100003", "2024-01-01", ""}}));
  EXPECT_EQ(a.communication_arrangements, (std::vector<CommunicationArrangement>{{"0001", "INT", "UCP20002"}}));
  EXPECT_EQ(a.direct_responsibilities, (std::vector<DirectResponsibility>{{"142", "E0101", "UE0101"}}));
  EXPECT_EQ(a.sales_arrangements, (std::vector<SalesArrangement>{{"S1000", "01", "", "", "EUR"}}));
  EXPECT_EQ(a.payment_data, (std::vector<PaymentData>{{"1", "D", "0001", "", ""}}));
  // Round trip through the stored document.
  auto decoded = DecodeAgreement(EncodeAgreement(a));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(EncodeAgreement(*decoded), EncodeAgreement(a));
}

TEST_P(ReplicationTest, InsideAUnitOfWorkNothingIsWrittenBeforeItsCommit) {
  store::UnitOfWork unit(*db_);
  auto result = std::make_shared<ReplicationResult>();
  {
    store::UnitOfWork::Scope scope(unit);
    ReplicationRequest req;
    req.agreement = Root(Action::kCreate);
    req.agreement.business_partner_id = "UC100001";
    ASSERT_TRUE(agreements_->Replicate(req, "SENDER", result).ok());
  }
  EXPECT_FALSE(Exists());
  EXPECT_TRUE(result->log.empty());
  ASSERT_TRUE(unit.Commit().ok());
  EXPECT_TRUE(Exists());
  EXPECT_EQ(result->outcome, Outcome::kCreated);
}

CW_STORE_BACKENDS(ReplicationTest);

}  // namespace
}  // namespace causeway::agreements
