// Method dispatch of a control-plane (/_causeway/…) resource, the same for every module's
// routes (RFC 9110): HEAD is GET without the body (§9.3.2; http/server.cpp drops the body of
// every HEAD answer), and a 405 names in `allow` the methods the resource serves (§15.5.6).
//
//   switch on ControlMethod(req): "GET" also for HEAD
//   return MethodNotAllowed({"GET", "PUT"});   // 405 CAUSEWAY/CONTROL/002, allow: GET, HEAD, PUT
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace causeway::services {

// The method a handler dispatches on: "GET" for a HEAD request, the request's method otherwise.
std::string_view ControlMethod(const http::Request& req);

// The `allow` value for `methods`, in their order, with HEAD right after GET.
std::string AllowedMethods(std::initializer_list<std::string_view> methods);

// 405, CAUSEWAY/CONTROL/002 "Use GET or PUT" as the JSON problem body, `allow` set.
http::Response MethodNotAllowed(std::initializer_list<std::string_view> methods);

// What follows resource `name` in a route's rest: "" for "tasks", "42" for "tasks/42", nothing
// for "taskset" or another resource.
std::optional<std::string_view> ControlSubresource(std::string_view rest, std::string_view name);

}  // namespace causeway::services
