// libcurl is not in the process until the first outbound request, and works once opened.
// Its own test binary: any earlier test in the same process would have opened it already.
#include "exchange/libcurl_on_demand.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "exchange/curl_http_client.h"
#include "exchange/testing/receiver_process.h"

namespace causeway::exchange {
namespace {

using namespace std::chrono_literals;

bool Mapped(std::string_view library) {
  std::ifstream maps("/proc/self/maps");
  std::stringstream all;
  all << maps.rdbuf();
  return all.str().find(library) != std::string::npos;
}

TEST(LibcurlOnDemandTest, OpenedByTheFirstRequestNotByTheClient) {
  CurlHttpClient client;
  EXPECT_FALSE(Mapped("libcurl.so")) << "a client that sent nothing has not opened libcurl";
  // (The receiver's control calls use libcurl too: started only now.)
  testing::ReceiverProcess receiver{testing::ReceiverOptions{}};
  ASSERT_TRUE(receiver.ok()) << receiver.error();
  ASSERT_TRUE(receiver.AddRules(R"({"path": "/ping", "status": 200, "body": "pong"})").ok());

  auto d = std::make_shared<Destination>();
  d->name = "receiver";
  d->base_url = receiver.url();
  d->connect_timeout = 5s;
  d->total_timeout = 30s;
  OutboundRequest r;
  r.destination = d;
  r.method = "GET";
  r.path = "/ping";
  HttpOutcome o = client.SendAndWait(r);
  ASSERT_TRUE(o.answered()) << o.error_text;
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.body, "pong");
  EXPECT_TRUE(Mapped("libcurl.so.4"));
  EXPECT_EQ(Libcurl().why(), "");
}

// The forwarders pass each setter's variadic argument by its option's type: a long, a string,
// a function pointer and a curl_off_t reach libcurl intact (a wrong type would fail or crash).
TEST(LibcurlOnDemandTest, SettersForwardEveryArgumentKind) {
  CURL* easy = curl_easy_init();
  ASSERT_NE(easy, nullptr);
  EXPECT_EQ(curl_easy_setopt(easy, CURLOPT_URL, "http://127.0.0.1:1/"), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 2000L), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(easy, CURLOPT_SSLVERSION, 12345678L), CURLE_BAD_FUNCTION_ARGUMENT)
      << "the long arrived as the value given";
  curl_write_callback write = [](char*, size_t size, size_t n, void*) { return size * n; };
  EXPECT_EQ(curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(-2)),
            CURLE_BAD_FUNCTION_ARGUMENT)
      << "the curl_off_t arrived as the value given";
  EXPECT_EQ(curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(5)), CURLE_OK);
  long code = -1;
  EXPECT_EQ(curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code), CURLE_OK);
  EXPECT_EQ(code, 0);
  curl_easy_cleanup(easy);

  CURLSH* share = curl_share_init();
  ASSERT_NE(share, nullptr);
  EXPECT_EQ(curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE), CURLSHE_OK);
  EXPECT_EQ(curl_share_setopt(share, CURLSHOPT_SHARE, 999), CURLSHE_BAD_OPTION);
  curl_share_cleanup(share);
  CURLM* multi = curl_multi_init();
  ASSERT_NE(multi, nullptr);
  EXPECT_EQ(curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 4L), CURLM_OK);
  curl_multi_cleanup(multi);
}

}  // namespace
}  // namespace causeway::exchange
