#include "domain/changes/number_blocks.h"

#include "core/blocking.h"
#include "domain/changes/change_repository.h"

namespace causeway::changes {

core::Result<int64_t> NumberBlocks::Next() {
  // On an I/O thread neither the store's write nor another thread's (which holds mu_) is
  // waited for: the request runs again on a worker (core/blocking.h).
  const bool may_block = core::MayBlock();
  std::unique_lock lock(mu_, std::defer_lock);
  if (may_block) lock.lock();
  else if (!lock.try_lock()) return core::WouldBlock();
  if (next_ >= end_) {
    if (!may_block) return core::WouldBlock();
    int64_t first = 0;
    CW_RETURN_IF_ERROR(db_.Write([&](store::Tx& tx) -> core::Status {
      CW_ASSIGN_OR_RETURN(first, repo::TakeNumbers(tx, counter_, block_size_));
      return core::Status::Ok();
    }));
    next_ = first;
    end_ = first + block_size_;
  }
  return next_++;
}

}  // namespace causeway::changes
