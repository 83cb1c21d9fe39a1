// Result<T>: a value or a core::Error. No exceptions cross layer boundaries (docs/errors.md).
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/error.h"

namespace causeway::core {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                 // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}             // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Status: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  static Status Ok() { return Status(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace causeway::core

#define CW_CONCAT_INNER(a, b) a##b
#define CW_CONCAT(a, b) CW_CONCAT_INNER(a, b)

// Propagates a failed Status/Result from the enclosing function.
#define CW_RETURN_IF_ERROR(expr) CW_RETURN_IF_ERROR_IMPL(CW_CONCAT(cw_status_, __COUNTER__), expr)
#define CW_RETURN_IF_ERROR_IMPL(tmp, expr)       \
  do {                                           \
    auto tmp = (expr);                           \
    if (!tmp.ok()) return std::move(tmp).error(); \
  } while (0)

#define CW_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return std::move(tmp).error();  \
  lhs = std::move(tmp).value()
// CW_ASSIGN_OR_RETURN(auto x, Foo()): assigns the value or returns the error.
#define CW_ASSIGN_OR_RETURN(lhs, expr) CW_ASSIGN_OR_RETURN_IMPL(CW_CONCAT(cw_result_, __COUNTER__), lhs, expr)
