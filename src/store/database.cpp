#include "store/database.h"

#include "core/completion.h"

namespace causeway::store {

core::Error StoreError(core::Code code, const char* number, std::string text) {
  return core::MakeError(code, "CAUSEWAY/STORE", number, std::move(text));
}

Status Database::Write(TxFn fn) {
  auto done = std::make_shared<core::Completion>();
  WriteAsync(std::move(fn), [done](Status s) { done->Complete(std::move(s)); });
  return done->Wait();
}

std::unique_ptr<ChangeFeed> Database::Listen(std::vector<std::string>, ChangeFeed::OnNotice) { return nullptr; }

}  // namespace causeway::store
