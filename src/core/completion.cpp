#include "core/completion.h"

namespace causeway::core {

std::shared_ptr<Completion> Completion::Done(Status status) {
  auto c = std::make_shared<Completion>();
  c->Complete(std::move(status));
  return c;
}

void Completion::Complete(Status status) {
  std::vector<std::function<void(const Status&)>> then;
  {
    std::lock_guard lock(mu_);
    if (done_) return;
    done_ = true;
    status_ = std::move(status);
    then.swap(then_);
  }
  cv_.notify_all();
  // status_ no longer changes once done_: safe to read without the lock.
  for (auto& fn : then) fn(status_);
}

bool Completion::done() const {
  std::lock_guard lock(mu_);
  return done_;
}

Status Completion::Wait() const {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return done_; });
  return status_;
}

void Completion::Then(std::function<void(const Status&)> fn) {
  {
    std::lock_guard lock(mu_);
    if (!done_) {
      then_.push_back(std::move(fn));
      return;
    }
  }
  fn(status_);
}

}  // namespace causeway::core
