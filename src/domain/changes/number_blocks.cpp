#include "domain/changes/number_blocks.h"

#include "domain/changes/change_repository.h"

namespace causeway::changes {

core::Result<int64_t> NumberBlocks::Next() {
  std::lock_guard lock(mu_);
  if (next_ >= end_) {
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
