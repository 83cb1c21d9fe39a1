#include "store/database.h"

#include "core/completion.h"

namespace causeway::store {

Status Database::Write(TxFn fn) {
  auto done = std::make_shared<core::Completion>();
  WriteAsync(std::move(fn), [done](Status s) { done->Complete(std::move(s)); });
  return done->Wait();
}

std::unique_ptr<ChangeFeed> Database::Listen(std::vector<std::string>, ChangeFeed::OnNotice) { return nullptr; }

}  // namespace causeway::store
