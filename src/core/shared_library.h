// A shared library opened with dlopen() the first time one of its symbols is asked for, for the
// libraries Causeway uses only in some installations (libcurl: outbound HTTP; libpq: the
// PostgreSQL store). Linking them would load them, and everything they link, at every start.
//
// Thread-safe; the library stays loaded until the process exits.
#pragma once

#include <mutex>
#include <string>

namespace causeway::core {

class SharedLibrary {
 public:
  // `soname`: what dlopen() is given (e.g. "libcurl.so.4"); nothing is opened yet.
  explicit SharedLibrary(std::string soname) : soname_(std::move(soname)) {}
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // The address of `name`, opening the library first if needed; null if the library cannot be
  // opened or has no such symbol.
  void* Symbol(const char* name) const;
  template <typename F>
  F Function(const char* name) const {
    return reinterpret_cast<F>(Symbol(name));
  }

  // Opens the library if needed. False, and the loader's reason in `why()`, if it cannot be.
  bool Open() const;
  // Why the library cannot be opened (trying first if not done yet); empty if it is open.
  const std::string& why() const;

 private:
  const std::string soname_;
  mutable std::once_flag once_;
  mutable void* handle_ = nullptr;  // set once, under once_
  mutable std::string why_;         // likewise
};

}  // namespace causeway::core

// Defines the C function `name`, as the library's own header declares it (a signature that
// differs does not compile), forwarding `args` to the library's function of that name, looked
// up once in `library` (a core::SharedLibrary). While the library cannot be opened the call
// returns `fallback` (empty for void). The parentheses around `name` keep same-named
// function-like macros of the header out.
#define CW_FORWARD_TO_LIBRARY(library, ret, name, params, args, fallback) \
  ret(name) params {                                                       \
    static const auto fn = (library).Function<decltype(&name)>(#name);     \
    if (fn == nullptr) return fallback;                                    \
    return fn args;                                                        \
  }
