// Whether the running thread may wait: an I/O thread serves every connection it holds, so code
// that runs there must not wait for a lock, the disk or another thread. A handler that runs on
// an I/O thread (http::Request::on_io_thread) and can hand its request over runs its domain
// calls inside a NonBlockingScope; a primitive that would wait (a record lock held by another
// request, a number block to take from the store) answers WouldBlock() there instead, and the
// handler hands the request to the worker pool, which runs it again from the start
// (http::Response::ToWorkers). Everywhere else MayBlock() is true and those primitives wait as
// before — also on an I/O thread whose handler opened no scope (it cannot hand over).
//
// Parking, for a wait that another thread ends by completing something (a read barrier's round
// trip): a handler that can also be run again on its I/O thread opens its scope with the
// request's Parking. The primitive then starts what it waits for, parks the request on its
// Completion and answers WouldBlock(); the server awaits the completion without holding a
// thread and runs the handler again, on the I/O thread, with the same Parking, where the
// primitive takes its finished completion back (Take) and goes on instead of waiting.
#pragma once

#include <memory>

#include "core/completion.h"
#include "core/error.h"

namespace causeway::core {

bool MayBlock();

// One request's parking, kept by the request across the runs of its handler.
class Parking {
 public:
  // Parks the request on `ready` for the primitive `owner` (its address: what it waits for is
  // its own business).
  void Park(const void* owner, std::shared_ptr<Completion> ready);
  // What `owner` parked on in an earlier run (completed by now), once; null if nothing (a
  // first run, or another primitive parked).
  std::shared_ptr<Completion> Take(const void* owner);
  // For the server: the completion to await before the next run; null if the handler did not
  // park (then it has to go to the worker pool). Leaves it parked for Take.
  const std::shared_ptr<Completion>& waiting_on() const { return ready_; }

 private:
  const void* owner_ = nullptr;
  std::shared_ptr<Completion> ready_;
};

class NonBlockingScope {
 public:
  // `active` false: no change (for a caller that only sometimes runs where it must not wait).
  // `parking`: the request's, if its handler can be run again once a parked wait completed.
  explicit NonBlockingScope(bool active = true, Parking* parking = nullptr);
  ~NonBlockingScope();
  NonBlockingScope(const NonBlockingScope&) = delete;
  NonBlockingScope& operator=(const NonBlockingScope&) = delete;

 private:
  bool previous_;
  Parking* previous_parking_;
};

// The innermost active scope's Parking; null where waiting is allowed or the handler cannot be
// run again (a primitive then answers WouldBlock() and the request goes to the worker pool).
Parking* CurrentParking();

// kUnavailable CAUSEWAY/CORE/001: what a primitive answers instead of waiting. Never meant for
// a client: the handler that sees it runs the request again on a worker.
Error WouldBlock();
bool IsWouldBlock(const Error& e);

}  // namespace causeway::core
