#include "store/database.h"

#include "core/completion.h"

namespace causeway::store {

Status Database::Write(TxFn fn) {
  auto done = std::make_shared<core::Completion>();
  WriteAsync(std::move(fn), [done](Status s) { done->Complete(std::move(s)); });
  return done->Wait();
}

}  // namespace causeway::store
