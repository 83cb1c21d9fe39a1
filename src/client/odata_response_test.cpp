#include "client/odata_response.h"

#include <gtest/gtest.h>

namespace causeway::client {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

struct ShapeCase {
  const char* name;
  const char* body;
};

class EntityShapes : public ::testing::TestWithParam<ShapeCase> {};

TEST_P(EntityShapes, ReadsJobScheduleStatus) {
  auto rec = ParseEntity(GetParam().body, kJson, "JobSchedule");
  ASSERT_TRUE(rec.ok()) << rec.error().text;
  EXPECT_EQ(rec->at("JobName"), "JOB1");
  EXPECT_EQ(rec->at("JobRunCount"), "12345678");
  EXPECT_EQ(rec->at("JobStatus"), "R");
  EXPECT_EQ(rec->at("ReturnCode"), "0");
  EXPECT_EQ(rec->count("__metadata"), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Client, EntityShapes,
    ::testing::Values(
        ShapeCase{"entity", R"({"d":{"__metadata":{"type":"X.JobScheduleStatus"},"JobName":"JOB1",
                             "JobRunCount":"12345678","JobStatus":"R","ReturnCode":0}})"},
        ShapeCase{"results", R"({"d":{"results":[{"JobName":"JOB1","JobRunCount":"12345678",
                              "JobStatus":"R","ReturnCode":0}]}})"},
        ShapeCase{"wrapped", R"({"d":{"JobSchedule":{"JobName":"JOB1","JobRunCount":"12345678",
                              "JobStatus":"R","ReturnCode":0}}})"},
        ShapeCase{"wrapped_results", R"({"d":{"JobSchedule":{"results":[{"JobName":"JOB1",
                              "JobRunCount":"12345678","JobStatus":"R","ReturnCode":0}]}}})"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

constexpr const char* kAtomEntry = R"(<?xml version="1.0" encoding="utf-8"?>
<entry xml:base="https://h/sap/opu/odata/SAP/BC_EXT_APPJOB_MANAGEMENT;v=2/"
 xmlns="http://www.w3.org/2005/Atom" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
 xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices">
 <id>x</id><title type="text">JobScheduleStatusCollection</title>
 <category term="BC_EXT_APPJOB_MANAGEMENT.JobScheduleStatus"/>
 <content type="application/xml"><m:properties>
  <d:JobName>JOB1</d:JobName><d:JobRunCount>12345678</d:JobRunCount><d:JobStatus>F</d:JobStatus>
  <d:ReturnCode m:type="Edm.Int16">0</d:ReturnCode><d:Extra m:null="true"/>
 </m:properties></content></entry>)";

TEST(ODataResponse, AtomEntryEvenWhenJsonWasAskedFor) {
  auto rec = ParseEntity(kAtomEntry, "application/atom+xml;type=entry", "JobStatusGet");
  ASSERT_TRUE(rec.ok()) << rec.error().text;
  EXPECT_EQ(rec->at("JobStatus"), "F");
  EXPECT_EQ(rec->at("ReturnCode"), "0");
  EXPECT_EQ(rec->count("Extra"), 0u);  // m:null
}

TEST(ODataResponse, AtomFeedGivesAllEntries) {
  std::string feed = R"(<feed xmlns="http://www.w3.org/2005/Atom" xmlns:m="urn:m" xmlns:d="urn:d">)";
  for (int i = 1; i <= 3; ++i) {
    feed += "<entry><content type=\"application/xml\"><m:properties><d:StepCount>" +
            std::to_string(i) + "</d:StepCount></m:properties></content></entry>";
  }
  feed += "</feed>";
  auto rows = ParseEntities(feed, "application/atom+xml;type=feed", "JobinfoGet");
  ASSERT_TRUE(rows.ok()) << rows.error().text;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[2].at("StepCount"), "3");
}

TEST(ODataResponse, JsonCollectionAndSkippedNavigation) {
  auto rows = ParseEntities(
      R"({"d":{"results":[{"StepCount":1,"Nav":{"__deferred":{"uri":"u"}},"Flag":true,"N":null},
                          {"StepCount":2}],"__count":"2"}})",
      kJson, "JobinfoGet");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].at("StepCount"), "1");
  EXPECT_EQ((*rows)[0].at("Flag"), "true");
  EXPECT_EQ((*rows)[0].count("Nav"), 0u);
  EXPECT_EQ((*rows)[0].count("N"), 0u);
}

TEST(ODataResponse, EmptyCollectionIsNotAnEntity) {
  EXPECT_TRUE(ParseEntities(R"({"d":{"results":[]}})", kJson, "JobListGet")->empty());
  auto rec = ParseEntity(R"({"d":{"results":[]}})", kJson, "JobStatusGet");
  ASSERT_FALSE(rec.ok());
  EXPECT_NE(rec.error().text.find("empty"), std::string::npos);
}

TEST(ODataResponse, HtmlLoginPageIsNamed) {
  auto rec = ParseEntity("<!DOCTYPE html><html><head><title>SAP Logon</title></head></html>",
                         "text/html", "JobStatusGet");
  ASSERT_FALSE(rec.ok());
  EXPECT_NE(rec.error().text.find("HTML page ('SAP Logon')"), std::string::npos) << rec.error().text;
  // Even when mislabelled as JSON.
  auto mislabelled = ParseEntity("  <html><title>Proxy</title></html>", kJson, "JobStatusGet");
  ASSERT_FALSE(mislabelled.ok());
  EXPECT_NE(mislabelled.error().text.find("HTML page"), std::string::npos);
}

TEST(ODataResponse, GarbageIsAnError) {
  EXPECT_FALSE(ParseEntity("", kJson, "X").ok());
  EXPECT_FALSE(ParseEntity("{not json", kJson, "X").ok());
  EXPECT_FALSE(ParseEntity(R"({"x":1})", kJson, "X").ok());
  EXPECT_FALSE(ParseEntity("plain text", "text/plain", "X").ok());
}

}  // namespace
}  // namespace causeway::client
