// A one-shot outcome that other threads wait for or react to: a commit becoming durable, a
// unit of work finished. Complete() once; Then() callbacks run on the completing thread (or at
// once, on the caller's, if already complete), in the order they were added. Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.h"

namespace causeway::core {

class Completion {
 public:
  // An already completed one.
  static std::shared_ptr<Completion> Done(Status status = Status::Ok());

  // Records the outcome and runs the callbacks. Later calls are ignored.
  void Complete(Status status);
  bool done() const;
  // Blocks until complete; returns the outcome.
  Status Wait() const;
  void Then(std::function<void(const Status&)> fn);

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool done_ = false;                                      // GUARDED_BY(mu_)
  Status status_;                                          // GUARDED_BY(mu_)
  std::vector<std::function<void(const Status&)>> then_;  // GUARDED_BY(mu_)
};

}  // namespace causeway::core
