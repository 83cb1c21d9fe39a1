#include "client/error_body.h"

#include <gtest/gtest.h>

#include "client/csrf_session.h"

namespace causeway::client {
namespace {

TEST(ErrorBody, GatewayJson) {
  auto e = ParseGatewayError(R"({"error":{"code":"APJ_RT/003","message":{"lang":"en",
      "value":"Job doesn't exist."},"innererror":{"errordetails":[]}}})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "APJ_RT/003");
  EXPECT_EQ(e->message, "Job doesn't exist.");
}

TEST(ErrorBody, GatewayXml) {
  auto e = ParseGatewayError(R"(<?xml version="1.0" encoding="utf-8"?>
<error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
<code>/IWFND/CM_CONSUMER/101</code><message xml:lang="en">No authorization</message></error>)");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "/IWFND/CM_CONSUMER/101");
  EXPECT_EQ(e->message, "No authorization");
}

TEST(ErrorBody, NotAGatewayError) {
  EXPECT_FALSE(ParseGatewayError("CSRF token validation failed"));
  EXPECT_FALSE(ParseGatewayError(R"({"d":{}})"));
  EXPECT_FALSE(ParseGatewayError("<html></html>"));
}

TEST(ErrorBody, HtmlDetectionAndTitle) {
  EXPECT_TRUE(IsHtmlResponse("", "text/html; charset=utf-8"));
  EXPECT_TRUE(IsHtmlResponse("\n <!DOCTYPE HTML><html>", "application/json"));
  EXPECT_FALSE(IsHtmlResponse("{\"d\":{}}", "application/json"));
  EXPECT_EQ(HtmlTitle("<html><head><TITLE>\n  Logon   Error\n</TITLE>"), "Logon Error");
}

TEST(ErrorFromResponse, MapsStatusAndBody) {
  HttpResponse r;
  r.status = 400;
  r.body = R"({"error":{"code":"APJ_RT/015","message":{"value":"Job template X doesn't exist."}}})";
  core::Error e = ErrorFromResponse(r, "JobSchedule");
  EXPECT_EQ(e.code, core::Code::kBadRequest);
  EXPECT_EQ(e.message_class, "APJ_RT");
  EXPECT_EQ(e.message_number, "015");
  EXPECT_EQ(e.text, "JobSchedule: HTTP 400 APJ_RT/015: Job template X doesn't exist.");

  r.status = 500;
  r.body = "<error><code>/IWBEP/CM_MGW_RT/004</code><message>boom</message></error>";
  e = ErrorFromResponse(r, "JobStatusGet");
  EXPECT_EQ(e.code, core::Code::kInternal);
  EXPECT_EQ(e.text, "JobStatusGet: HTTP 500 /IWBEP/CM_MGW_RT/004: boom");

  r.status = 401;
  r.headers["content-type"] = "text/html";
  r.body = "<html><title>Logon failed</title></html>";
  e = ErrorFromResponse(r, "JobStatusGet");
  EXPECT_EQ(e.code, core::Code::kUnauthorized);
  EXPECT_NE(e.text.find("HTML page ('Logon failed')"), std::string::npos);
  EXPECT_NE(e.text.find("locked"), std::string::npos);

  HttpResponse redirect;
  redirect.status = 302;
  redirect.headers["location"] = "https://idp/saml2?SAMLRequest=secretish";
  e = ErrorFromResponse(redirect, "JobStatusGet");
  EXPECT_EQ(e.code, core::Code::kUnauthorized);
  EXPECT_EQ(e.text.find("SAMLRequest"), std::string::npos);
}

}  // namespace
}  // namespace causeway::client
