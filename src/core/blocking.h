// Whether the running thread may wait: an I/O thread serves every connection it holds, so code
// that runs there must not wait for a lock, the disk or another thread. A handler that runs on
// an I/O thread (http::Request::on_io_thread) and can hand its request over runs its domain
// calls inside a NonBlockingScope; a primitive that would wait (a record lock held by another
// request, a number block to take from the store) answers WouldBlock() there instead, and the
// handler hands the request to the worker pool, which runs it again from the start
// (http::Response::ToWorkers). Everywhere else MayBlock() is true and those primitives wait as
// before — also on an I/O thread whose handler opened no scope (it cannot hand over).
#pragma once

#include "core/error.h"

namespace causeway::core {

bool MayBlock();

class NonBlockingScope {
 public:
  // `active` false: no change (for a caller that only sometimes runs where it must not wait).
  explicit NonBlockingScope(bool active = true);
  ~NonBlockingScope();
  NonBlockingScope(const NonBlockingScope&) = delete;
  NonBlockingScope& operator=(const NonBlockingScope&) = delete;

 private:
  bool previous_;
};

// kUnavailable CAUSEWAY/CORE/001: what a primitive answers instead of waiting. Never meant for
// a client: the handler that sees it runs the request again on a worker.
Error WouldBlock();
bool IsWouldBlock(const Error& e);

}  // namespace causeway::core
