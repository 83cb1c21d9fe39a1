// The stored task document: EncodeTask writes exactly what the first version wrote through a
// Boost.JSON object (kept here as the reference), and DecodeTask reads it back.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/activities/task_repository.h"

namespace causeway::activities {
namespace {

namespace json = boost::json;

json::object ReferenceParty(const PartyRef& p) {
  json::object o{{"business_partner_id", p.business_partner_id}};
  if (!p.employee_id.empty()) o["employee_id"] = p.employee_id;
  if (!p.email.empty()) o["email"] = p.email;
  if (!p.name.empty()) o["name"] = p.name;
  if (p.main) o["main"] = true;
  return o;
}

// The encoder of the first version, unchanged.
std::string ReferenceEncode(const Task& t) {
  json::object o{{"id", std::to_string(t.id)},
                 {"uuid", t.uuid},
                 {"change_state_id", t.change_state_id},
                 {"name", t.name},
                 {"priority_code", t.priority_code},
                 {"sensitivity_code", t.sensitivity_code},
                 {"life_cycle_status", t.life_cycle_status},
                 {"data_origin_code", t.data_origin_code}};
  if (!t.document_type_code.empty()) o["document_type_code"] = t.document_type_code;
  if (!t.group_code.empty()) o["group_code"] = t.group_code;
  if (!t.completion_percent.empty()) o["completion_percent"] = t.completion_percent;
  if (t.period)
    o["scheduled_period"] = {{"start", t.period->start},
                             {"start_time_zone", t.period->start_time_zone},
                             {"end", t.period->end},
                             {"end_time_zone", t.period->end_time_zone}};
  if (t.processor) o["processor"] = ReferenceParty(*t.processor);
  if (t.responsible) o["employee_responsible"] = ReferenceParty(*t.responsible);
  if (t.main_activity) o["main_activity_party"] = ReferenceParty(*t.main_activity);
  if (!t.activity_unit.empty()) o["activity_unit_party"] = json::object{{"organisational_centre_id", t.activity_unit}};
  json::array refs, docs, texts, atts;
  for (const auto& p : t.reference_parties) refs.push_back(ReferenceParty(p));
  for (const auto& r : t.references)
    docs.push_back({{"id", r.id}, {"uuid", r.uuid}, {"type_code", r.type_code}, {"role_code", r.role_code}});
  for (const auto& x : t.texts)
    texts.push_back({{"type_code", x.type_code}, {"content", x.content}, {"language", x.language}, {"created_at", x.created_at}});
  for (const auto& a : t.attachments)
    atts.push_back({{"uuid", a.uuid},
                    {"category_code", a.category_code},
                    {"type_code", a.type_code},
                    {"name", a.name},
                    {"alternative_name", a.alternative_name},
                    {"description", a.description},
                    {"link_uri", a.link_uri},
                    {"mime_code", a.mime_code},
                    {"file_name", a.file_name},
                    {"visible", a.visible},
                    {"content_base64", a.content_base64}});
  o["reference_parties"] = std::move(refs);
  o["document_references"] = std::move(docs);
  o["texts"] = std::move(texts);
  o["attachments"] = std::move(atts);
  o["created_at_ms"] = core::ToUnixMillis(t.created_at);
  o["created_by"] = t.created_by;
  o["changed_at_ms"] = core::ToUnixMillis(t.changed_at);
  o["changed_by"] = t.changed_by;
  return json::serialize(o);
}

Task Minimal() {
  Task t;
  t.id = 1;
  t.uuid = "0190f4a2-7c1e-7d3a-9b2c-4e5f60718293";
  t.change_state_id = "20240501080000.0000001";
  t.priority_code = "3";
  t.sensitivity_code = "1";
  t.life_cycle_status = "1";
  t.data_origin_code = "1";
  return t;
}

Task Full() {
  Task t = Minimal();
  t.id = 9223372036854775807;
  t.name = "Call \"back\" C:\\temp\\ — grüße / 日本\n\ttab\r\b\f\x01\x1f\x7f end";
  t.document_type_code = "0002";
  t.group_code = "0001";
  t.completion_percent = "50";
  t.period = ScheduledPeriod{"2024-05-01T08:00:00Z", "UTC", "2024-05-02T08:00:00Z", ""};
  t.processor = PartyRef{"MC2471", "E0001", "ann@example.com", "Ann", true};
  t.responsible = PartyRef{"MC2472", "", "", "", false};
  t.main_activity = PartyRef{"", "", "unknown@example.com", "", false};
  t.activity_unit = "S1000";
  t.reference_parties = {PartyRef{"MC9785", "", "", "Harbor", false}, PartyRef{"MC9786", "", "", "", true}};
  t.references = {{"4711", "", "764", "1"}, {"", "0190f4a2-0000-7000-8000-000000000001", "86", "2"}};
  t.texts = {{"10002", "Body with \"quotes\"", "EN", "2024-05-01T08:00:00Z"}, {"10011", "", "", ""}};
  t.attachments = {{"0190f4a2-0000-7000-8000-000000000002", "2", "10001", "a.pdf", "alt", "desc", "", "application/pdf",
                    "a.pdf", false, "JVBERi0xLjQK"},
                   {"0190f4a2-0000-7000-8000-000000000003", "3", "10001", "link", "", "", "https://x.example/?a=1&b=2",
                    "", "", true, ""}};
  t.created_at = core::FromUnixMillis(1714550400000);
  t.created_by = "TASK_SYNC";
  t.changed_at = core::FromUnixMillis(-1);
  t.changed_by = "ADMIN";
  return t;
}

TEST(TaskCodecTest, EncodesByteForByteAsTheBoostJsonVersion) {
  const std::vector<Task> tasks = {Minimal(), Full(), Task{}};
  for (const Task& t : tasks) EXPECT_EQ(EncodeTask(t), ReferenceEncode(t)) << t.name;
  // Every single byte value in a string.
  Task all = Minimal();
  for (int c = 0; c < 256; ++c) all.name += static_cast<char>(c);
  EXPECT_EQ(EncodeTask(all), ReferenceEncode(all));
}

TEST(TaskCodecTest, DecodesWhatItEncodes) {
  const Task t = Full();
  auto back = DecodeTask(EncodeTask(t));
  ASSERT_TRUE(back.ok()) << back.error().text;
  EXPECT_EQ(back->id, t.id);
  EXPECT_EQ(back->name, t.name);
  EXPECT_EQ(back->completion_percent, "50");
  ASSERT_TRUE(back->period);
  EXPECT_EQ(back->period->start_time_zone, "UTC");
  EXPECT_EQ(back->processor, t.processor);
  EXPECT_EQ(back->main_activity, t.main_activity);
  EXPECT_EQ(back->reference_parties, t.reference_parties);
  ASSERT_EQ(back->references.size(), 2u);
  EXPECT_EQ(back->references[1].uuid, t.references[1].uuid);
  ASSERT_EQ(back->texts.size(), 2u);
  EXPECT_EQ(back->texts[0].content, t.texts[0].content);
  ASSERT_EQ(back->attachments.size(), 2u);
  EXPECT_FALSE(back->attachments[0].visible);
  EXPECT_EQ(back->attachments[1].link_uri, t.attachments[1].link_uri);
  EXPECT_EQ(back->created_at, t.created_at);
  EXPECT_EQ(back->changed_at, t.changed_at);
  EXPECT_EQ(back->changed_by, "ADMIN");
  EXPECT_EQ(EncodeTask(*back), EncodeTask(t));
}

}  // namespace
}  // namespace causeway::activities
