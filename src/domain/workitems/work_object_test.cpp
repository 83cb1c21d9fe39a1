#include "domain/workitems/work_object.h"

#include <gtest/gtest.h>

namespace causeway::workitems {
namespace {

TEST(WorkObjectTest, FieldFormats) {
  struct Case {
    const char* text;
    bool date, stamp, guid, ticket;
  };
  const Case cases[] = {
      {"20160406", true, false, false, false},
      {"00000000", true, false, false, false},
      {"20160230", false, false, false, false},   // no 30 February
      {"20000229", true, false, false, false},   // leap year (div. by 400)
      {"19000229", false, false, false, false},  // no leap year (div. by 100)
      {"2016040", false, false, false, false},
      {"20160406092754", false, true, false, false},
      {"20160406242754", false, false, false, false},  // hour 24
      {"00000000000000", false, false, false, false},
      {"00505683226E1EE5BEFB3A231046E491", false, false, true, false},
      {"00505683226e1ee5befb3a231046e491", false, false, false, false},  // lower case is not canonical
      {"00505683226E1EE5BEFB3A231046E49", false, false, false, false},
      {"8000013587", false, false, false, true},
      {"800001358", false, false, false, false},
      {"80000135a7", false, false, false, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsDate8(c.text), c.date) << c.text;
    EXPECT_EQ(IsStamp14(c.text), c.stamp) << c.text;
    EXPECT_EQ(IsUpperHexGuid(c.text), c.guid) << c.text;
    EXPECT_EQ(IsTicketId(c.text), c.ticket) << c.text;
  }
  EXPECT_TRUE(IsUpperHexGuid(NewGuid()));
  EXPECT_NE(NewGuid(), NewGuid());
}

WorkObject Valid() {
  WorkObject o;
  o.guid = "00505683226E1EE5BEFB3A231046E491";
  o.ticket_id = "8000013587";
  o.process_type = "S1IT";
  o.description = "WP";
  o.project = "P";
  o.status = "E0001";
  return o;
}

TEST(WorkObjectTest, ValidationNamesTheField) {
  EXPECT_TRUE(ValidateObject(Valid()).ok());
  struct Case {
    std::function<void(WorkObject&)> breaks;
    std::string target;
  };
  const std::vector<Case> cases = {
      {[](WorkObject& o) { o.guid = "x"; }, "guid"},
      {[](WorkObject& o) { o.ticket_id = "12"; }, "ticket_id"},
      {[](WorkObject& o) { o.process_type = "ZZZZ"; }, "process_type"},
      {[](WorkObject& o) { o.parent_guid = "00505683226E1EE5BEFB3A231046E492"; }, "parent"},
      {[](WorkObject& o) { o.process_type = "S1CG"; }, "parent"},
      {[](WorkObject& o) { o.description.clear(); }, "description"},
      {[](WorkObject& o) { o.project.clear(); }, "project"},
      {[](WorkObject& o) { o.priority = 10; }, "priority"},
      {[](WorkObject& o) { o.ppm_completion = 101; }, "ppm_completion"},
      {[](WorkObject& o) { o.ppm_start_date = "2016"; }, "ppm_start_date"},
      {[](WorkObject& o) { o.actual.go_live_date = "20161332"; }, "actual.go_live_date"},
      {[](WorkObject& o) { o.partners = {{"/SALM/09", "", false}}; }, "partners[0].partner_no"},
      {[](WorkObject& o) { o.partners = {{"/SALM/09", "1", true}, {"/SALM/09", "2", true}}; }, "partners[1].main"},
      {[](WorkObject& o) { o.appointments = {{"S1_BUILD_FIN", "2016", "UTC", false, 0, ""}}; }, "appointments[0].timestamp"},
      {[](WorkObject& o) {
         o.appointments = {{"A", "20160205000000", "UTC", false, 0, ""}, {"A", "20160205000000", "UTC", false, 0, ""}};
       },
       "appointments[1].date_type"},
      {[](WorkObject& o) { o.categories = {{"nope", "x", 1}}; }, "categories[0].guid"},
  };
  for (const auto& c : cases) {
    WorkObject o = Valid();
    c.breaks(o);
    core::Status st = ValidateObject(o);
    ASSERT_FALSE(st.ok()) << c.target;
    EXPECT_EQ(st.error().target, c.target);
    EXPECT_EQ(st.error().GatewayCode(), "CAUSEWAY/FB/010");
    EXPECT_EQ(st.error().HttpStatus(), 400);
  }
}

TEST(WorkObjectTest, PatchChangesOnlyWhatItHoldsAndKeepsSapEmptyValues) {
  WorkObject o = Valid();
  o.priority = 3;
  ObjectPatch p;
  EXPECT_TRUE(p.empty());
  p.description = "new";
  p.ppm_wave = "";
  p.actual = Release{"1.1", "C", "S_MINOR", ""};
  EXPECT_FALSE(p.empty());
  ApplyPatch(p, o);
  EXPECT_EQ(o.description, "new");
  EXPECT_EQ(o.priority, 3);
  EXPECT_EQ(o.ppm_wave, std::string(kNoWave));
  EXPECT_EQ(o.ppm_wave.size(), 30u);
  EXPECT_EQ(o.actual.go_live_date, "00000000");
  EXPECT_EQ(o.actual.number, "1.1");
}

TEST(WorkObjectTest, OfSeveralPartnersInAFunctionOneIsAlwaysTheMain) {
  WorkObject o = Valid();
  ObjectPatch p;
  p.partners = std::vector<PartnerAssignment>{{"/SALM/09", "4000", false},
                                              {"/SALM/03", "4711", false},
                                              {"/SALM/03", "786", false},
                                              {"/SALM/05", "1", false},
                                              {"/SALM/05", "2", true}};
  ApplyPatch(p, o);
  std::vector<bool> main;
  for (const auto& pa : o.partners) main.push_back(pa.main);
  // A lone partner stays unmarked; the first of several unmarked becomes the main; a marked one
  // is kept.
  EXPECT_EQ(main, (std::vector<bool>{false, true, false, false, true}));
  EXPECT_TRUE(ValidateObject(o).ok());
}

}  // namespace
}  // namespace causeway::workitems
