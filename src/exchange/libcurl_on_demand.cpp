// libcurl, opened the first time Causeway sends outbound HTTP (libcurl_on_demand.h says why).
//
// This file defines the libcurl functions Causeway calls, with libcurl's own declarations
// (curl/curl.h), and forwards each to the function of the same name in the library that
// dlopen() loaded. Callers keep writing plain libcurl. A function missing here is a link error
// ("undefined reference to curl_…"): add it below, with its forwarder.
//
// The variadic setters forward by the option's type, as libcurl itself reads them: the option
// number's range says whether the argument is a long, a pointer, a function pointer or a
// curl_off_t (CURLOPTTYPE_*, CURLMOPTTYPE_* in curl.h and multi.h).
#include "exchange/libcurl_on_demand.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <cstdarg>
#include <mutex>
#include <string>

namespace causeway::exchange {

namespace {

constexpr const char* kLibcurlSoname = "libcurl.so.4";  // Debian's libcurl4 (the ABI since 2006)

using Callback = void (*)();

struct Api {
  CURLcode (*global_init)(long);
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL*);
  void (*easy_reset)(CURL*);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
  CURLM* (*multi_init)();
  CURLMcode (*multi_cleanup)(CURLM*);
  CURLMcode (*multi_setopt)(CURLM*, CURLMoption, ...);
  CURLMcode (*multi_add_handle)(CURLM*, CURL*);
  CURLMcode (*multi_remove_handle)(CURLM*, CURL*);
  CURLMcode (*multi_perform)(CURLM*, int*);
  CURLMcode (*multi_poll)(CURLM*, curl_waitfd*, unsigned int, int, int*);
  CURLMcode (*multi_wakeup)(CURLM*);
  CURLMsg* (*multi_info_read)(CURLM*, int*);
  CURLSH* (*share_init)();
  CURLSHcode (*share_cleanup)(CURLSH*);
  CURLSHcode (*share_setopt)(CURLSH*, CURLSHoption, ...);
};

struct Loaded {
  Api api{};
  bool ok = false;
  std::string why;  // when !ok
};

template <typename F>
bool Bind(void* lib, const char* name, F* slot, std::string* why) {
  void* sym = dlsym(lib, name);
  if (sym == nullptr) {
    if (why->empty()) *why = std::string(kLibcurlSoname) + " has no " + name;
    return false;
  }
  *slot = reinterpret_cast<F>(sym);
  return true;
}

Loaded Open() {
  Loaded l;
  // RTLD_LOCAL: nothing else binds to its symbols by accident; it stays loaded until exit.
  void* lib = dlopen(kLibcurlSoname, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* err = dlerror();
    l.why = err != nullptr ? err : std::string("cannot open ") + kLibcurlSoname;
    return l;
  }
  Api& a = l.api;
  bool ok = true;
  ok &= Bind(lib, "curl_global_init", &a.global_init, &l.why);
  ok &= Bind(lib, "curl_easy_init", &a.easy_init, &l.why);
  ok &= Bind(lib, "curl_easy_cleanup", &a.easy_cleanup, &l.why);
  ok &= Bind(lib, "curl_easy_reset", &a.easy_reset, &l.why);
  ok &= Bind(lib, "curl_easy_perform", &a.easy_perform, &l.why);
  ok &= Bind(lib, "curl_easy_setopt", &a.easy_setopt, &l.why);
  ok &= Bind(lib, "curl_easy_getinfo", &a.easy_getinfo, &l.why);
  ok &= Bind(lib, "curl_easy_strerror", &a.easy_strerror, &l.why);
  ok &= Bind(lib, "curl_slist_append", &a.slist_append, &l.why);
  ok &= Bind(lib, "curl_slist_free_all", &a.slist_free_all, &l.why);
  ok &= Bind(lib, "curl_multi_init", &a.multi_init, &l.why);
  ok &= Bind(lib, "curl_multi_cleanup", &a.multi_cleanup, &l.why);
  ok &= Bind(lib, "curl_multi_setopt", &a.multi_setopt, &l.why);
  ok &= Bind(lib, "curl_multi_add_handle", &a.multi_add_handle, &l.why);
  ok &= Bind(lib, "curl_multi_remove_handle", &a.multi_remove_handle, &l.why);
  ok &= Bind(lib, "curl_multi_perform", &a.multi_perform, &l.why);
  ok &= Bind(lib, "curl_multi_poll", &a.multi_poll, &l.why);
  ok &= Bind(lib, "curl_multi_wakeup", &a.multi_wakeup, &l.why);
  ok &= Bind(lib, "curl_multi_info_read", &a.multi_info_read, &l.why);
  ok &= Bind(lib, "curl_share_init", &a.share_init, &l.why);
  ok &= Bind(lib, "curl_share_cleanup", &a.share_cleanup, &l.why);
  ok &= Bind(lib, "curl_share_setopt", &a.share_setopt, &l.why);
  l.ok = ok;
  return l;
}

const Loaded& Library() {
  static const Loaded loaded = [] {
    Loaded l = Open();
    if (!l.ok) spdlog::error("exchange: outbound HTTP is unavailable: {}", l.why);
    return l;
  }();
  return loaded;
}

const Api* Curl() {
  const Loaded& l = Library();
  return l.ok ? &l.api : nullptr;
}

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

bool LibcurlLoaded(std::string* why) {
  const Loaded& l = Library();
  if (!l.ok && why != nullptr) *why = l.why;
  return l.ok;
}

}  // namespace causeway::exchange

using causeway::exchange::Curl;

// The parentheses around each name keep curl.h's same-named function-like macros out.
extern "C" {

CURLcode(curl_global_init)(long flags) { return Curl() ? Curl()->global_init(flags) : CURLE_FAILED_INIT; }
CURL*(curl_easy_init)() { return Curl() ? Curl()->easy_init() : nullptr; }
void(curl_easy_cleanup)(CURL* h) {
  if (Curl() && h) Curl()->easy_cleanup(h);
}
void(curl_easy_reset)(CURL* h) {
  if (Curl() && h) Curl()->easy_reset(h);
}
CURLcode(curl_easy_perform)(CURL* h) { return Curl() ? Curl()->easy_perform(h) : CURLE_FAILED_INIT; }

CURLcode(curl_easy_setopt)(CURL* h, CURLoption option, ...) {
  if (!Curl()) return CURLE_FAILED_INIT;
  va_list args;
  va_start(args, option);
  CURLcode rc = causeway::exchange::ForwardSetopt(Curl()->easy_setopt, h, option, args);
  va_end(args);
  return rc;
}

CURLcode(curl_easy_getinfo)(CURL* h, CURLINFO info, ...) {
  if (!Curl()) return CURLE_FAILED_INIT;
  va_list args;
  va_start(args, info);
  void* out = va_arg(args, void*);  // every CURLINFO takes a pointer to where the value goes
  va_end(args);
  return Curl()->easy_getinfo(h, info, out);
}

const char*(curl_easy_strerror)(CURLcode code) {
  return Curl() ? Curl()->easy_strerror(code) : "libcurl is not available";
}
curl_slist*(curl_slist_append)(curl_slist* list, const char* text) {
  return Curl() ? Curl()->slist_append(list, text) : nullptr;
}
void(curl_slist_free_all)(curl_slist* list) {
  if (Curl() && list) Curl()->slist_free_all(list);
}

CURLM*(curl_multi_init)() { return Curl() ? Curl()->multi_init() : nullptr; }
CURLMcode(curl_multi_cleanup)(CURLM* m) { return Curl() ? Curl()->multi_cleanup(m) : CURLM_BAD_HANDLE; }
CURLMcode(curl_multi_setopt)(CURLM* m, CURLMoption option, ...) {
  if (!Curl()) return CURLM_BAD_HANDLE;
  va_list args;
  va_start(args, option);
  CURLMcode rc = causeway::exchange::ForwardSetopt(Curl()->multi_setopt, m, option, args);
  va_end(args);
  return rc;
}
CURLMcode(curl_multi_add_handle)(CURLM* m, CURL* h) {
  return Curl() ? Curl()->multi_add_handle(m, h) : CURLM_BAD_HANDLE;
}
CURLMcode(curl_multi_remove_handle)(CURLM* m, CURL* h) {
  return Curl() ? Curl()->multi_remove_handle(m, h) : CURLM_BAD_HANDLE;
}
CURLMcode(curl_multi_perform)(CURLM* m, int* running) {
  return Curl() ? Curl()->multi_perform(m, running) : CURLM_BAD_HANDLE;
}
CURLMcode(curl_multi_poll)(CURLM* m, curl_waitfd extra[], unsigned int n, int timeout_ms, int* ret) {
  return Curl() ? Curl()->multi_poll(m, extra, n, timeout_ms, ret) : CURLM_BAD_HANDLE;
}
CURLMcode(curl_multi_wakeup)(CURLM* m) { return Curl() ? Curl()->multi_wakeup(m) : CURLM_BAD_HANDLE; }
CURLMsg*(curl_multi_info_read)(CURLM* m, int* left) { return Curl() ? Curl()->multi_info_read(m, left) : nullptr; }

CURLSH*(curl_share_init)() { return Curl() ? Curl()->share_init() : nullptr; }
CURLSHcode(curl_share_cleanup)(CURLSH* s) { return Curl() ? Curl()->share_cleanup(s) : CURLSHE_INVALID; }
CURLSHcode(curl_share_setopt)(CURLSH* s, CURLSHoption option, ...) {
  if (!Curl()) return CURLSHE_INVALID;
  va_list args;
  va_start(args, option);
  CURLSHcode rc;
  switch (option) {
    case CURLSHOPT_SHARE:
    case CURLSHOPT_UNSHARE: rc = Curl()->share_setopt(s, option, va_arg(args, int)); break;  // a curl_lock_data
    case CURLSHOPT_LOCKFUNC:
    case CURLSHOPT_UNLOCKFUNC: rc = Curl()->share_setopt(s, option, va_arg(args, causeway::exchange::Callback)); break;
    default: rc = Curl()->share_setopt(s, option, va_arg(args, void*)); break;
  }
  va_end(args);
  return rc;
}

}  // extern "C"
