// libcurl, opened the first time Causeway sends outbound HTTP (libcurl_on_demand.h says why).
//
// This file defines the libcurl functions Causeway calls, with libcurl's own declarations
// (curl/curl.h: a signature that differs does not compile), each forwarding to the function of
// the same name in the library, looked up once. A function missing here is a link error
// ("undefined reference to curl_…"): add a line below.
//
// The variadic setters forward by the option's type, as libcurl itself reads them: the option
// number's range says whether the argument is a long, a pointer, a function pointer or a
// curl_off_t (CURLOPTTYPE_*, CURLMOPTTYPE_* in curl.h and multi.h).
#include "exchange/libcurl_on_demand.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <cstdarg>

namespace causeway::exchange {

namespace {

using Callback = void (*)();

// Which C type an option of a libcurl setter carries, by the number range libcurl assigns.
enum class ArgKind { kLong, kPointer, kFunction, kOffT };

ArgKind KindOf(long option) {
  if (option >= CURLOPTTYPE_BLOB) return ArgKind::kPointer;
  if (option >= CURLOPTTYPE_OFF_T) return ArgKind::kOffT;
  if (option >= CURLOPTTYPE_FUNCTIONPOINT) return ArgKind::kFunction;
  if (option >= CURLOPTTYPE_OBJECTPOINT) return ArgKind::kPointer;
  return ArgKind::kLong;
}

template <typename Code, typename Handle, typename Option>
Code ForwardSetopt(Code (*setopt)(Handle*, Option, ...), Handle* handle, Option option, va_list args) {
  switch (KindOf(static_cast<long>(option))) {
    case ArgKind::kLong: return setopt(handle, option, va_arg(args, long));
    case ArgKind::kPointer: return setopt(handle, option, va_arg(args, void*));
    case ArgKind::kFunction: return setopt(handle, option, va_arg(args, Callback));
    case ArgKind::kOffT: return setopt(handle, option, va_arg(args, curl_off_t));
  }
  return setopt(handle, option, va_arg(args, void*));
}

}  // namespace

const core::SharedLibrary& Libcurl() {
  static const core::SharedLibrary lib("libcurl.so.4");  // Debian's libcurl4 (the ABI since 2006)
  static const bool reported = [] {
    if (!lib.Open()) spdlog::error("exchange: outbound HTTP is unavailable: {}", lib.why());
    return true;
  }();
  (void)reported;
  return lib;
}

}  // namespace causeway::exchange

// `fallback`: how libcurl itself reports a failure.
#define CW_LIBCURL(...) CW_FORWARD_TO_LIBRARY(causeway::exchange::Libcurl(), __VA_ARGS__)

// Defines a variadic libcurl setter: the one argument after `option` is forwarded by `forward`.
#define CW_LIBCURL_SETTER(ret, name, handle_type, option_type, fallback, forward) \
  ret(name)(handle_type * handle, option_type option, ...) {                     \
    static const auto fn = causeway::exchange::Libcurl().Function<decltype(&name)>(#name); \
    if (fn == nullptr) return fallback;                                          \
    va_list args;                                                                \
    va_start(args, option);                                                      \
    ret rc = forward(fn, handle, option, args);                                  \
    va_end(args);                                                                \
    return rc;                                                                   \
  }

namespace {

// curl_share_setopt's options have no type ranges: a curl_lock_data (an int), a lock callback
// or the user pointer.
CURLSHcode ForwardShareOpt(CURLSHcode (*fn)(CURLSH*, CURLSHoption, ...), CURLSH* share, CURLSHoption option,
                           va_list args) {
  switch (option) {
    case CURLSHOPT_SHARE:
    case CURLSHOPT_UNSHARE: return fn(share, option, va_arg(args, int));
    case CURLSHOPT_LOCKFUNC:
    case CURLSHOPT_UNLOCKFUNC: return fn(share, option, va_arg(args, causeway::exchange::Callback));
    default: return fn(share, option, va_arg(args, void*));
  }
}

// Every CURLINFO takes a pointer to where the value goes.
CURLcode ForwardGetinfo(CURLcode (*fn)(CURL*, CURLINFO, ...), CURL* easy, CURLINFO info, va_list args) {
  return fn(easy, info, va_arg(args, void*));
}

}  // namespace

extern "C" {

CW_LIBCURL(CURLcode, curl_global_init, (long flags), (flags), CURLE_FAILED_INIT)
CW_LIBCURL(const char*, curl_easy_strerror, (CURLcode code), (code), "libcurl is not available")

// Easy handles.
CW_LIBCURL(CURL*, curl_easy_init, (), (), nullptr)
CW_LIBCURL(void, curl_easy_cleanup, (CURL * easy), (easy), )
CW_LIBCURL(void, curl_easy_reset, (CURL * easy), (easy), )
CW_LIBCURL(CURLcode, curl_easy_perform, (CURL * easy), (easy), CURLE_FAILED_INIT)
CW_LIBCURL_SETTER(CURLcode, curl_easy_setopt, CURL, CURLoption, CURLE_FAILED_INIT, causeway::exchange::ForwardSetopt)
CW_LIBCURL_SETTER(CURLcode, curl_easy_getinfo, CURL, CURLINFO, CURLE_FAILED_INIT, ForwardGetinfo)
CW_LIBCURL(curl_slist*, curl_slist_append, (curl_slist * list, const char* text), (list, text), nullptr)
CW_LIBCURL(void, curl_slist_free_all, (curl_slist * list), (list), )

// Multi handles.
CW_LIBCURL(CURLM*, curl_multi_init, (), (), nullptr)
CW_LIBCURL(CURLMcode, curl_multi_cleanup, (CURLM * multi), (multi), CURLM_BAD_HANDLE)
CW_LIBCURL_SETTER(CURLMcode, curl_multi_setopt, CURLM, CURLMoption, CURLM_BAD_HANDLE,
                  causeway::exchange::ForwardSetopt)
CW_LIBCURL(CURLMcode, curl_multi_add_handle, (CURLM * multi, CURL* easy), (multi, easy), CURLM_BAD_HANDLE)
CW_LIBCURL(CURLMcode, curl_multi_remove_handle, (CURLM * multi, CURL* easy), (multi, easy), CURLM_BAD_HANDLE)
CW_LIBCURL(CURLMcode, curl_multi_perform, (CURLM * multi, int* running), (multi, running), CURLM_BAD_HANDLE)
CW_LIBCURL(CURLMcode, curl_multi_poll,
           (CURLM * multi, curl_waitfd extra[], unsigned int n, int timeout_ms, int* ret),
           (multi, extra, n, timeout_ms, ret), CURLM_BAD_HANDLE)
CW_LIBCURL(CURLMcode, curl_multi_wakeup, (CURLM * multi), (multi), CURLM_BAD_HANDLE)
CW_LIBCURL(CURLMsg*, curl_multi_info_read, (CURLM * multi, int* left), (multi, left), nullptr)

// Share handles (a destination's cookie jar).
CW_LIBCURL(CURLSH*, curl_share_init, (), (), nullptr)
CW_LIBCURL(CURLSHcode, curl_share_cleanup, (CURLSH * share), (share), CURLSHE_INVALID)
CW_LIBCURL_SETTER(CURLSHcode, curl_share_setopt, CURLSH, CURLSHoption, CURLSHE_INVALID, ForwardShareOpt)

}  // extern "C"

#undef CW_LIBCURL_SETTER
#undef CW_LIBCURL
