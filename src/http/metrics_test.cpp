#include "http/metrics.h"

#include <gtest/gtest.h>

#include "http/access_log.h"

namespace causeway::http {
namespace {

TEST(MetricsTest, RendersCountersAndCumulativeHistogram) {
  Metrics m;
  m.Record("SVC", 200, std::chrono::microseconds(50));
  m.Record("SVC", 200, std::chrono::microseconds(3000));
  m.Record("SVC", 403, std::chrono::microseconds(200));
  ServerStats stats;
  stats.open_connections = 3;
  stats.handed_to_workers = 2;
  std::string text = m.Render(&stats);
  EXPECT_NE(text.find("causeway_requests_total{service=\"SVC\",status=\"200\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("causeway_requests_total{service=\"SVC\",status=\"403\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("causeway_request_duration_seconds_bucket{le=\"0.0001\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("causeway_request_duration_seconds_bucket{le=\"0.00025\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("causeway_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("causeway_request_duration_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(text.find("causeway_open_connections 3\n"), std::string::npos);
  EXPECT_NE(text.find("causeway_requests_handed_to_workers_total 2\n"), std::string::npos);
}

TEST(AccessLogTest, LineHasNoQueryNoHeadersAndNoControlCharacters) {
  Request q;
  q.method = "POST";
  q.target = "/sap/opu/odata/sap/SVC/JobSchedule\n?JobText='secret'";
  q.user = "COMM_USER";
  q.remote_address = "127.0.0.1";
  q.headers.Add("Authorization", "Basic c2VjcmV0");
  RequestRecord r{&q, 201, 512, std::chrono::microseconds(1234), "SVC"};
  std::string line = AccessLog::FormatLine(r);
  EXPECT_EQ(line, "127.0.0.1 COMM_USER \"POST /sap/opu/odata/sap/SVC/JobSchedule??…\" 201 512 1234us SVC");
  EXPECT_EQ(line.find("secret"), std::string::npos);
  EXPECT_EQ(line.find("c2VjcmV0"), std::string::npos);
}

}  // namespace
}  // namespace causeway::http
