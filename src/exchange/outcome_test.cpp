#include "exchange/outcome.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace causeway::exchange {
namespace {

using std::chrono::seconds;

const core::SystemTime kNow = *core::ParseIso8601("2026-03-01T12:00:00Z");

HttpOutcome Status(int status, HeaderList headers = {}) {
  HttpOutcome o;
  o.status = status;
  o.headers = std::move(headers);
  return o;
}

HttpOutcome Error(TransportError e, int status = 0) {
  HttpOutcome o;
  o.error = e;
  o.error_text = "details";
  o.status = status;
  return o;
}

TEST(Classify, StatusesAsIntegrationUsersExpect) {
  struct Case {
    int status;
    Verdict verdict;
  } cases[] = {
      {200, Verdict::kSuccess},   {201, Verdict::kSuccess},   {202, Verdict::kSuccess},
      {204, Verdict::kSuccess},   {299, Verdict::kSuccess},   {408, Verdict::kRetryable},
      {429, Verdict::kRetryable}, {500, Verdict::kRetryable}, {502, Verdict::kRetryable},
      {503, Verdict::kRetryable}, {504, Verdict::kRetryable}, {599, Verdict::kRetryable},
      {400, Verdict::kPermanent}, {401, Verdict::kPermanent}, {403, Verdict::kPermanent},
      {404, Verdict::kPermanent}, {409, Verdict::kPermanent}, {412, Verdict::kPermanent},
      {413, Verdict::kPermanent}, {422, Verdict::kPermanent}, {499, Verdict::kPermanent},
      {101, Verdict::kPermanent}, {301, Verdict::kPermanent}, {302, Verdict::kPermanent},
      {304, Verdict::kPermanent}, {307, Verdict::kPermanent}, {600, Verdict::kPermanent},
  };
  for (const Case& c : cases) {
    Classification k = Classify(Status(c.status), kNow);
    EXPECT_EQ(k.verdict, c.verdict) << c.status;
    EXPECT_FALSE(k.not_before.has_value()) << c.status;
    EXPECT_EQ(k.reason.rfind("HTTP " + std::to_string(c.status), 0), 0u) << k.reason;
  }
}

TEST(Classify, TransportErrors) {
  struct Case {
    TransportError error;
    Verdict verdict;
  } cases[] = {
      {TransportError::kConnect, Verdict::kRetryable},
      {TransportError::kTls, Verdict::kRetryable},
      {TransportError::kTimeout, Verdict::kRetryable},
      {TransportError::kConnectionLost, Verdict::kRetryable},
      {TransportError::kProtocol, Verdict::kRetryable},
      {TransportError::kCancelled, Verdict::kRetryable},
      {TransportError::kInternal, Verdict::kRetryable},
      {TransportError::kInvalidRequest, Verdict::kPermanent},
      {TransportError::kTooManyRedirects, Verdict::kPermanent},
      {TransportError::kAnswerTooLarge, Verdict::kPermanent},
  };
  for (const Case& c : cases) {
    Classification k = Classify(Error(c.error), kNow);
    EXPECT_EQ(k.verdict, c.verdict) << TransportErrorName(c.error);
    EXPECT_EQ(k.reason, std::string(TransportErrorName(c.error)) + ": details");
  }
  // A too large answer stays permanent even when its status was a success.
  Classification big = Classify(Error(TransportError::kAnswerTooLarge, 200), kNow);
  EXPECT_EQ(big.verdict, Verdict::kPermanent);
  EXPECT_EQ(big.reason, "answer_too_large (HTTP 200): details");
  EXPECT_EQ(Classify(Error(TransportError::kAnswerTooLarge, 404), kNow).verdict, Verdict::kPermanent);
  // …but an oversized "try later" (a proxy's 503 page) was no delivery: retried as its status.
  for (int status : {503, 429, 408}) {
    HttpOutcome busy = Error(TransportError::kAnswerTooLarge, status);
    busy.headers.Add("Retry-After", "120");
    Classification k = Classify(busy, kNow);
    EXPECT_EQ(k.verdict, Verdict::kRetryable) << status;
    EXPECT_EQ(k.not_before, kNow + seconds(120)) << status;
  }
}

TEST(Classify, RetryAfterInBothForms) {
  struct Case {
    int status;
    std::string retry_after;
    std::optional<core::SystemTime> not_before;
  } cases[] = {
      {429, "120", kNow + seconds(120)},
      {503, " 7 ", kNow + seconds(7)},
      {408, "1", kNow + seconds(1)},
      {429, "Sun, 01 Mar 2026 12:05:00 GMT", kNow + seconds(300)},
      {503, "Sunday, 01-Mar-26 12:00:30 GMT", kNow + seconds(30)},
      {503, "Sun Mar  1 13:00:00 2026", kNow + seconds(3600)},
      {429, "0", std::nullopt},                              // not after now
      {429, "Sun, 01 Mar 2026 11:00:00 GMT", std::nullopt},  // in the past
      {429, "soon", std::nullopt},
      {429, "-5", std::nullopt},
      {429, "1.5", std::nullopt},
      {429, "99999999999999999999999", kNow + seconds(365 * 24 * 3600)},  // capped at a year
  };
  for (const Case& c : cases) {
    Classification k = Classify(Status(c.status, {{"retry-after", c.retry_after}}), kNow);
    EXPECT_EQ(k.verdict, Verdict::kRetryable) << c.retry_after;
    EXPECT_EQ(k.not_before, c.not_before) << c.retry_after;
  }
  // Retry-After on a permanent or successful answer changes nothing.
  EXPECT_FALSE(Classify(Status(400, {{"Retry-After", "10"}}), kNow).not_before.has_value());
  EXPECT_FALSE(Classify(Status(200, {{"Retry-After", "10"}}), kNow).not_before.has_value());
}

TEST(Classify, RedirectNamesItsTarget) {
  Classification k = Classify(Status(302, {{"Location", "https://idp.example.com/login"}}), kNow);
  EXPECT_EQ(k.verdict, Verdict::kPermanent);
  EXPECT_EQ(k.reason, "HTTP 302 to https://idp.example.com/login");
}

TEST(Names, AreStable) {
  EXPECT_EQ(TransportErrorName(TransportError::kConnectionLost), "connection_lost");
  EXPECT_EQ(TransportErrorName(TransportError::kAnswerTooLarge), "answer_too_large");
  EXPECT_EQ(VerdictName(Verdict::kRetryable), "retryable");
}

}  // namespace
}  // namespace causeway::exchange
